import Testing
@testable import BatonConsole

/// The step finder's scorer: a subsequence match, ignoring case, that favours runs of
/// consecutive characters, word starts and prefixes.
@Suite struct FuzzyScorerTests {
    private func score(_ word: String, _ text: String) -> Int? {
        FuzzyScorer(word).score(text)
    }

    @Test func everyCharacterMustAppearInOrder() {
        #expect(score("dpl", "deploy") != nil)
        #expect(score("ldp", "deploy") == nil)
        #expect(score("deployx", "deploy") == nil)
        #expect(score("z", "deploy") == nil)
        #expect(score("deploy", "dep") == nil, "a word longer than the text")
    }

    @Test func caseIsIgnoredOnBothSides() {
        #expect(score("WEB", "web1") == score("web", "web1"))
        #expect(score("web", "WEB1") == score("web", "web1"))
        #expect(score("Ünï", "über-ünïcode") != nil)
    }

    @Test func consecutiveCharactersBeatScatteredOnes() throws {
        let run = try #require(score("web", "xx-web"))
        let scattered = try #require(score("web", "w-e-b-xx"))
        #expect(run > scattered)
    }

    @Test func aPrefixBeatsTheSameRunInsideAWord() throws {
        let prefix = try #require(score("dep", "deploy-old"))
        let inside = try #require(score("dep", "undeploy-o"))
        #expect(prefix > inside)
    }

    @Test func wordStartsBeatLettersInsideWords() throws {
        // d and w start words of deploy-web; in drawer the w is inside the word.
        let starts = try #require(score("dw", "deploy-web"))
        let inside = try #require(score("dw", "drawer"))
        #expect(starts > inside)
        // A change from letters to digits starts a word too: the 2 of web2.
        #expect(FuzzyScorer.folded("web2").withUnsafeBufferPointer { FuzzyScorer.startsWord($0, at: 3) })
        #expect(!FuzzyScorer.folded("web2").withUnsafeBufferPointer { FuzzyScorer.startsWord($0, at: 2) })
    }

    @Test func theExactTextWinsAndShorterTextsComeFirst() throws {
        let exact = try #require(score("build", "build"))
        let longer = try #require(score("build", "build-all"))
        let longest = try #require(score("build", "build-all-the-things"))
        #expect(exact > longer)
        #expect(longer > longest)
    }

    @Test func theTightestWindowIsScored() throws {
        // The first a is far from the b; the window starts at the a just before it.
        let tight = try #require(score("ab", "a-------ab"))
        let loose = try #require(score("ab", "a-------xb"))
        #expect(tight > loose)
        #expect(FuzzyScorer("ab").positions(in: "a-------ab") == [8, 9])
        #expect(FuzzyScorer("bld").positions(in: "b-xxxxxx-build") == [9, 12, 13])
    }

    @Test func positionsAreTheMatchedCharacters() {
        #expect(FuzzyScorer("web").positions(in: "deploy-web[1]") == [7, 8, 9])
        #expect(FuzzyScorer("Dw").positions(in: "deploy-web") == [0, 7])
        #expect(FuzzyScorer("x").positions(in: "deploy") == nil)
    }

    @Test func anEmptyWordMatchesNothingInParticular() {
        #expect(FuzzyScorer("").isEmpty)
        #expect(score("", "deploy") == nil)
        #expect(FuzzyScorer("").positions(in: "deploy") == nil)
    }
}
