import BatonTestSupport
import Foundation
import Testing

/// The manual pages in docs/man are current: `baton(1)` and one page per subcommand, as
/// swift-argument-parser's manual generator made them from the commands' help, and
/// `baton-workflow(5)`, made from docs/workflow-format.md by `WorkflowManPage`.
///
/// After changing a command's help, make its pages again (see docs/ARCHITECTURE.md):
///     swift package plugin generate-manual --multi-page --configuration debug
///     cp .build/plugins/GenerateManual/outputs/baton/*.1 docs/man/
/// After changing the format doc:
///     BATON_WRITE_MAN_PAGES=1 swift test --skip-build --filter ManPageTests
@Suite(.timeLimit(.minutes(2))) struct ManPageTests {
    private static let manFolder = ConsoleEndToEndTests.root + "/docs/man"
    private static let formatDoc = ConsoleEndToEndTests.root + "/docs/workflow-format.md"
    private static let workflowPage = manFolder + "/baton-workflow.5"

    @Test func theWorkflowPageIsMadeFromTheFormatDoc() throws {
        let markdown = try String(contentsOfFile: Self.formatDoc, encoding: .utf8)
        let rendered = WorkflowManPage.render(markdown: markdown)
        if ProcessInfo.processInfo.environment["BATON_WRITE_MAN_PAGES"] == "1" {
            try rendered.write(toFile: Self.workflowPage, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOfFile: Self.workflowPage, encoding: .utf8)
        #expect(committed == rendered, "docs/man/baton-workflow.5 is not current: BATON_WRITE_MAN_PAGES=1 swift test --skip-build --filter ManPageTests")

        // Every section of the doc is a section of the page, and every key its tables name is in it.
        for line in markdown.split(separator: "\n") where line.hasPrefix("## ") || line.hasPrefix("### ") {
            let title = line.drop { $0 == "#" }.dropFirst().replacingOccurrences(of: "`", with: "").replacingOccurrences(of: "-", with: "\\-")
            let section = line.hasPrefix("## ") ? ".SH \"\(title.uppercased())\"" : ".SS \"\(title)\""
            #expect(rendered.contains(section + "\n"), "no \(section)")
        }
        for line in markdown.split(separator: "\n") where line.hasPrefix("| `") {
            let key = line.dropFirst(3).prefix { $0 != "`" }
            let entry = ".TP\n\\fB" + key.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
            #expect(rendered.contains(entry), "no entry for '\(key)'")
        }
    }

    @Test func theWorkflowPageRendersWithoutWarnings() async throws {
        let result = try await ChildProcess.finish("groff", ["-k", "-man", "-Tutf8", "-ww", "-z", Self.workflowPage])
        #expect(result.status == 0 && result.output.isEmpty, "\(result.output)")
        let shown = try await ChildProcess.finish("man", ["-l", "-P", "cat", Self.workflowPage])
        #expect(shown.status == 0)
        #expect(shown.output.contains("baton-workflow - the workflow file format of baton(1)"), "\(shown.output.prefix(500))")
    }

    /// A command of `baton --experimental-dump-help`, as far as the pages show it.
    private struct DumpedCommand: Decodable {
        struct Argument: Decodable {
            struct Name: Decodable { var kind: String; var name: String }
            var abstract: String?
            var names: [Name]?
            var shouldDisplay: Bool
        }
        var commandName: String
        var abstract: String?
        var arguments: [Argument]?
        var subcommands: [DumpedCommand]?
    }

    private struct Dump: Decodable { var command: DumpedCommand }

    @Test func everyCommandHasACurrentPage() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: ConsoleEndToEndTests.binary), "build baton first: swift build")
        let dump = try await ChildProcess.finish(ConsoleEndToEndTests.binary, ["--experimental-dump-help"])
        #expect(dump.status == 0)
        let root = try JSONDecoder().decode(Dump.self, from: Data(dump.output.utf8)).command
        let remake = "make the pages again: swift package plugin generate-manual --multi-page --configuration debug, then copy .build/plugins/GenerateManual/outputs/baton/*.1 to docs/man/"

        var expected: Set<String> = []
        func check(_ command: DumpedCommand, path: [String]) throws {
            let name = path.joined(separator: ".")
            expected.insert(name + ".1")
            let file = Self.manFolder + "/\(name).1"
            guard let page = try? String(contentsOfFile: file, encoding: .utf8) else {
                Issue.record("no page docs/man/\(name).1: \(remake)")
                return
            }
            if let abstract = command.abstract, !abstract.isEmpty {
                #expect(page.contains(abstract), "\(name).1 lacks its abstract '\(abstract)': \(remake)")
            }
            for argument in command.arguments ?? [] where argument.shouldDisplay {
                if let abstract = argument.abstract, !abstract.isEmpty {
                    #expect(page.contains(abstract), "\(name).1 lacks '\(abstract)': \(remake)")
                }
                for long in (argument.names ?? []).filter({ $0.kind == "long" }) {
                    #expect(page.contains("Fl -\(long.name)"), "\(name).1 lacks --\(long.name): \(remake)")
                }
            }
            for subcommand in command.subcommands ?? [] {
                try check(subcommand, path: path + [subcommand.commandName])
            }
        }
        try check(root, path: [root.commandName])

        let pages = Set(try FileManager.default.contentsOfDirectory(atPath: Self.manFolder).filter { $0.hasSuffix(".1") })
        #expect(pages == expected, "pages of no command: \(pages.subtracting(expected).sorted()); \(remake)")

        let shown = try await ChildProcess.finish("man", ["-l", "-P", "cat", Self.manFolder + "/baton.approve.1"])
        #expect(shown.status == 0)
        #expect(shown.output.contains("baton approve"), "\(shown.output.prefix(300))")
    }
}
