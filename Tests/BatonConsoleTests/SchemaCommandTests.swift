import BatonEngine
import BatonTestSupport
import Foundation
import Testing

/// `baton schema` prints the workflow format's JSON Schema, and its help says how editors use it.
@Suite(.timeLimit(.minutes(2))) struct SchemaCommandTests {
    @Test func printsTheSchemaAndNothingElse() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let result = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["schema"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output == (try WorkflowSchema.text()))
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any]
        #expect(object?["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test func itsHelpShowsTheModeline() async throws {
        let result = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["schema", "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("# yaml-language-server: $schema="), "\(result.output)")
        #expect(result.output.contains("baton schema > ~/.config/baton/workflow.schema.json"))
    }
}
