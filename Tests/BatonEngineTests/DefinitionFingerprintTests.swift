import Testing
@testable import BatonEngine

/// `DefinitionFingerprint` tells an edited definition from the one a run started with and
/// names what changed.
@Suite struct DefinitionFingerprintTests {
    let original = """
        name: build
        concurrency: 2
        steps:
          fetch:
            run: ./fetch.sh
          clean:
            needs: fetch
            run: rm -rf /tmp/x/cache-$BUILD_TOKEN
        """

    /// The `run_started` event a run of `text` records.
    private func started(_ text: String) -> RunEvent {
        let fingerprint = DefinitionFingerprint(text: text)
        var event = RunEvent(kind: .runStarted)
        event.steps = fingerprint.stepIDs
        event.definitionDigest = fingerprint.digest
        event.definitionParts = fingerprint.parts
        return event
    }

    private func changes(_ edited: String) -> [String] {
        DefinitionFingerprint(text: edited).changes(since: started(original))
    }

    @Test func theSameTextHasNoChanges() {
        #expect(changes(original).isEmpty)
        #expect(DefinitionFingerprint(text: original).digest.count == 64)
    }

    @Test func aChangedCommandIsNamed() {
        #expect(changes(original.replacingOccurrences(of: "cache-$BUILD_TOKEN", with: "cache-***")) == ["step 'clean' changed 'run'"])
    }

    @Test func changedNeedsAreNamed() {
        #expect(changes(original.replacingOccurrences(of: "    needs: fetch\n", with: "")) == ["step 'clean' changed 'needs'"])
    }

    @Test func addedAndRemovedStepsAreNamed() {
        #expect(changes(original + "\n  extra:\n    run: true\n") == ["step 'extra' was added"])
        #expect(changes(original.replacingOccurrences(of: "  fetch:\n    run: ./fetch.sh\n", with: "")
            .replacingOccurrences(of: "    needs: fetch\n", with: "")) == ["step 'fetch' was removed", "step 'clean' changed 'needs'"])
    }

    @Test func topLevelSettingsAreNamed() {
        #expect(changes(original.replacingOccurrences(of: "concurrency: 2", with: "concurrency: 3")) == ["the top-level 'concurrency' changed"])
        #expect(changes("secrets: [BUILD_TOKEN]\n" + original) == ["the top-level 'secrets' changed"])
    }

    @Test func aCommentOrSpacingIsTextOutsideTheSettings() {
        let expected = ["only text outside the settings changed (a comment, spacing or line breaks)"]
        #expect(changes("# edited\n" + original) == expected)
        #expect(changes(original.replacingOccurrences(of: "run: ./fetch.sh", with: "run:    ./fetch.sh   # here")) == expected)
    }

    @Test func reorderedStepsAreNamed() {
        let reordered = """
            name: build
            concurrency: 2
            steps:
              clean:
                needs: fetch
                run: rm -rf /tmp/x/cache-$BUILD_TOKEN
              fetch:
                run: ./fetch.sh
            """
        #expect(changes(reordered) == ["the steps are in a different order"])
    }

    @Test func textThatIsNoLongerYAMLSaysSo() {
        #expect(changes("steps: [unclosed") == ["it is no longer a YAML mapping of settings and steps"])
    }

    @Test func aJournalWithoutADigestIsNotChecked() {
        var old = RunEvent(kind: .runStarted)
        old.steps = ["fetch", "clean"]
        #expect(DefinitionFingerprint(text: "anything: else").changes(since: old).isEmpty)
    }
}
