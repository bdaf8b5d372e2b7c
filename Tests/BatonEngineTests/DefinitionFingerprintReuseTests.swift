import Foundation
import Testing
@testable import BatonEngine

/// A new run's fingerprint is taken from the document the loader composed, not from composing
/// the file again: it must be the very fingerprint the text gives, or a resume would refuse an
/// unedited run.
@Suite struct DefinitionFingerprintReuseTests {
    @Test(arguments: DemoLibrary.fileNames)
    func theLoadersFingerprintIsTheTextsFingerprint(_ fileName: String) throws {
        let definition = try WorkflowLoader.loadWithText(contentsOf: DemoLibrary.directory + "/" + fileName)
        let taken = try #require(definition.fingerprint, "a new run's load takes the fingerprint")
        #expect(taken == DefinitionFingerprint(text: definition.text, calledFiles: definition.calledFiles.files))
        #expect(!taken.parts.isEmpty && taken.stepIDs.count == definition.workflow.steps.count
                || !definition.workflow.calls.isEmpty || definition.workflow.steps.contains { $0.group != nil })
    }

    @Test func aFileThatCallsAnotherAndOneWithRepeatedKeysToo() throws {
        let folder = NSTemporaryDirectory() + "baton-fingerprint-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "name: called\nsteps:\n  inner:\n    run: \"true\"\n".write(toFile: folder + "/called.yaml", atomically: true, encoding: .utf8)
        let text = "name: main\n# a comment\nsteps:\n  a:\n    run: \"echo a\"\n  b:\n    uses: ./called.yaml\n    needs: [a]\n"
        try text.write(toFile: folder + "/main.yaml", atomically: true, encoding: .utf8)
        let definition = try WorkflowLoader.loadWithText(contentsOf: folder + "/main.yaml")
        #expect(definition.fingerprint == DefinitionFingerprint(text: text, calledFiles: definition.calledFiles.files))
        #expect(definition.fingerprint?.parts.dictionary["uses:called.yaml"] != nil || definition.fingerprint?.parts.dictionary.keys.contains { $0.hasPrefix("uses:") } == true)
        // A plain load (validate, graph) takes none.
        #expect(try WorkflowLoader.loadDefinition(data: Array(text.utf8), file: folder + "/main.yaml",
                                                 calling: .files(besideFile: folder + "/main.yaml")).fingerprint == nil)
    }
}
