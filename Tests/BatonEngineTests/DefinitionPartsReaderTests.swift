import Foundation
import Testing
import Yams
@testable import BatonEngine

/// The parts reader gives exactly the parts and step ids the walk over the composed document
/// gives, and leaves to that walk every document it does not handle itself: a resume compares
/// them with what `run_started` recorded, so any difference would name edits never made.
@Suite struct DefinitionPartsReaderTests {
    @Test(arguments: YAMLTreeBuilderTests.repositoryFiles)
    func aRepositoryFileReadsAsTheWalkFindsIt(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let read = try #require(DefinitionPartsReader.read(text), "the reader left \(path) to the walk")
        #expect(read == Self.walkedOverTree(text), "\(path)")
    }

    @Test(arguments: YAMLTreeBuilderTests.samples + [
        "name: x\nsteps:\n  a: echo\n  b: [1, {c: d}]\n  c:\n    run: 'x'\n    env: {A: \"1\", B: two}\n    notes: |\n      two\n      lines\n",
        "steps: [a, b]\nname: \"n\"\n",
        "steps:\n",
        "steps: {}\n",
        "steps:\n  a:\n  b:\n    needs: []\n",
        "\"steps\":\n  'a':\n    \"run\": 'q'\n",
        "env:\n  B: >\n    folded\n    more\n\n  C: \"esc\\ttab \\x41 \\u00e9\"\n",
    ])
    func aSampleReadsAsTheWalkFindsIt(text: String) throws {
        let read = try #require(DefinitionPartsReader.read(text), "the reader left \(text.debugDescription) to the walk")
        #expect(read == Self.walkedOverTree(text))
    }

    @Test func aLargeWorkflowReadsAsTheWalkFindsIt() throws {
        var text = "name: scale\nconcurrency: 4\nsteps:\n"
        for index in 0..<2_000 {
            text += "  s\(index):\n    run: \"echo \(index)\"\n"
            if index > 0 { text += "    needs: [s\(index - 1), s\(index / 2)]\n" }
        }
        let read = try #require(DefinitionPartsReader.read(text))
        #expect(read.stepIDs.count == 2_000)
        #expect(read.parts.build().dictionary.count == 2 + 2_000 + 1_999)
        #expect(read == Self.walkedOverTree(text))
    }

    @Test(arguments: [
        "a: &x 1\nb: *x\n",
        "steps:\n  a: &s {run: x}\n  b: *s\n",
        "a: 1\na: 2\n",
        "steps:\n  a:\n    run: x\n    run: y\n",
        "env: {A: 1, A: 2}\n",
        "? [complex, key]\n: value\n",
        "steps:\n  ? {a: b}\n  : value\n",
        "a: [1, 2\n",
        "one: 1\n---\ntwo: 2\n",
        "\"unterminated: x\n",
        "name: \"\\uD800\"\n",
    ])
    func aDocumentItDoesNotHandleIsLeftToTheWalk(text: String) {
        #expect(DefinitionPartsReader.read(text) == nil)
    }

    @Test func aStreamWithNoDocumentHasNoParts() {
        for text in ["", "# nothing\n", "plain scalar", "[a, b]"] {
            #expect(DefinitionPartsReader.read(text) == DefinitionFingerprint.Walked(), "\(text.debugDescription)")
        }
    }

    /// Mutated demos, most of them broken: whatever the reader reads, it reads as the walk does.
    @Test func mutatedDemosReadAsTheWalkFindsThem() {
        var generator = MalformedWorkflowGenerator(sources: WorkflowFuzzTests.sources, seed: WorkflowFuzzTests.seed &+ 7)
        var read = 0
        for document in generator.mutatedDemos(count: 400) {
            let text = String(decoding: document.bytes, as: UTF8.self)
            guard let parts = DefinitionPartsReader.read(text) else { continue }
            read += 1
            #expect(parts == Self.walkedOverTree(text), "\(document.label)")
        }
        #expect(read >= 100, "only \(read) of 400 mutated demos were read")
    }

    /// A run's load takes the parts on a thread of its own: they are those of the text.
    @Test func aRunsLoadTakesTheTextsFingerprint() throws {
        let path = DemoLibrary.directory + "/three-tier-deploy.yaml"
        let definition = try WorkflowLoader.loadWithText(contentsOf: path)
        let taken = try #require(definition.fingerprint)
        #expect(taken.stepIDs == definition.workflow.steps.map(\.id))
        #expect(taken.parts == Self.walkedOverTree(definition.text).parts.build())
    }

    /// The walk over the document as Yams composes it, the way it was taken before the reader.
    static func walkedOverTree(_ text: String) -> DefinitionFingerprint.Walked {
        LargeStackThread.run {
            guard let document = try? YAMLComposer.compose(text, file: ""), let root = document.root else {
                return DefinitionFingerprint.Walked()
            }
            return DefinitionFingerprint.walk(root: root)
        }
    }
}
