import Foundation
import Testing
import Yams
@testable import BatonEngine

/// The tree builder makes exactly the tree Yams composes, and leaves to Yams every document
/// it does not handle itself.
@Suite struct YAMLTreeBuilderTests {
    /// Every YAML file in the repository: the demos, the themes, the journal fixtures.
    static let repositoryFiles: [String] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var found: [String] = []
        for folder in ["demo", "themes", "Tests/Fixtures"] {
            let base = root.appendingPathComponent(folder)
            let walker = FileManager.default.enumerator(atPath: base.path)
            while let path = walker?.nextObject() as? String {
                if path.hasSuffix(".yaml") { found.append(base.appendingPathComponent(path).path) }
            }
        }
        return found.sorted()
    }()

    static let samples: [String] = [
        "name: x\nsteps:\n  a:\n    run: echo hi\n",
        "'quoted key': \"double\"\nplain: 'single'\n",
        "literal: |\n  line one\n  line two\nfolded: >-\n  folded\n  text\n",
        "flow: {a: 1, b: [x, y, {c: d}]}\nlist: [1, 2.5, true, null, ~]\n",
        "tagged: !!str 42\ncustom: !thing value\nbinary: !!int '7'\n",
        "empty:\nalso_empty: ''\nnull_word: null\n",
        "unicode: \"caf\\u00e9 — ✓\"\nemoji: 🚀\n",
        "- a\n- b:\n    c: [1]\n- - nested\n  - list\n",
        "# only a comment\nkey: value # trailing\n",
        "---\nexplicit: start\n...\n",
        "\u{FEFF}bom: first\n",
        "key: value\r\nother: value\r\n",
        "plain scalar at the root",
        "42",
        "!!map {a: b}",
        "!!seq [a]",
        "multi: \"a\n  b\n\n  c\"\n",
    ]

    @Test func theRepositoryFilesAreFound() {
        #expect(Self.repositoryFiles.count >= 30)
        #expect(Self.repositoryFiles.contains { $0.hasSuffix("demo/three-tier-deploy.yaml") })
    }

    @Test(arguments: repositoryFiles)
    func aRepositoryFileBuildsTheTreeYamsComposes(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try expectSameTree(text, from: path)
    }

    @Test(arguments: samples)
    func aSampleBuildsTheTreeYamsComposes(text: String) throws {
        try expectSameTree(text, from: text)
    }

    @Test func aStreamWithNoDocumentIsEmpty() throws {
        for text in ["", "# nothing\n", "\n\n"] {
            guard case .empty = YAMLTreeBuilder.build(text) else {
                Issue.record("\(text.debugDescription) is not empty")
                continue
            }
            #expect(try Yams.compose(yaml: text, .basic, .default, .utf8) == nil)
        }
    }

    @Test(arguments: [
        "a: &x 1\nb: *x\n",
        "a: 1\na: 2\n",
        "? [complex, key]\n: value\n",
        "? {a: b}\n: value\n",
        "a: [1, 2\n",
        "a: b: c\n",
        "one: 1\n---\ntwo: 2\n",
        "\"unterminated: x\n",
        "a:\n\t- tab\n",
    ])
    func aDocumentItDoesNotHandleIsLeftToYams(text: String) {
        #expect(YAMLTreeBuilder.build(text) == nil)
    }

    /// Past the deepest nesting allowed, the scan still walks a built tree and names where; up
    /// to it, the shape spares the walk.
    @Test(arguments: [62, 63, 64, 65, 66])
    func theShapeSparesTheScanOnlyWithinTheDepthLimit(depth: Int) throws {
        let scanner = DocumentScanner(file: "deep.yaml", renamedKeys: [:])
        for text in [
            String(repeating: "[", count: depth) + "x" + String(repeating: "]", count: depth),
            String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth),
            String(repeating: "[", count: depth) + String(repeating: "]", count: depth),
        ] {
            guard case .document(let root, let shape) = YAMLTreeBuilder.build(text) else {
                Issue.record("the builder left \(depth) levels to Yams")
                continue
            }
            let walked = scanner.scan(root, budget: 1_000, checkRepeatedKeys: false).problems.map(\.description)
            let spared = scanner.scan(root, shape: shape, budget: 1_000, checkRepeatedKeys: false).problems.map(\.description)
            #expect(walked == spared, "\(text)")
            if depth == 62 { #expect(walked.isEmpty, "\(text): \(walked)") }
            if depth == 66 { #expect(!walked.isEmpty, "\(text) is deeper than allowed") }
        }
    }

    @Test func aRepeatedKeyStillReadsAsBefore() throws {
        #expect(throws: WorkflowLoadError.self) {
            _ = try WorkflowLoader.load(yaml: "name: x\nname: y\nsteps:\n  a:\n    run: 'true'\n", file: "w.yaml")
        }
        let error = try #require(throws: WorkflowLoadError.self) {
            _ = try WorkflowLoader.load(yaml: "steps:\n  a:\n    run: 'true'\n  a:\n    run: 'false'\n", file: "w.yaml")
        }
        #expect(error.description.contains("'a'"))
    }

    @Test func aLargeWorkflowBuildsTheTreeYamsComposes() throws {
        var text = "name: scale\nsteps:\n"
        for index in 0..<2_000 {
            text += "  s\(index):\n    run: \"echo \(index)\"\n"
            if index > 0 { text += "    needs: [s\(index - 1)]\n" }
        }
        try expectSameTree(text, from: "2,000 steps")
    }

    /// Checks that the builder's tree and Yams's are the same, node for node: kind, text, stored
    /// tag, style and position.
    private func expectSameTree(_ text: String, from source: String) throws {
        guard case .document(let built, let shape) = YAMLTreeBuilder.build(text) else {
            Issue.record("the builder left \(source) to Yams")
            return
        }
        // The shape counts exactly what the scanner visits: that many fit its budget, one fewer does not.
        let scanner = DocumentScanner(file: "", renamedKeys: [:])
        #expect(!scanner.scan(built, budget: shape.visited, checkRepeatedKeys: false).exceededBudget, "\(source)")
        if shape.visited > 0 {
            #expect(scanner.scan(built, budget: shape.visited - 1, checkRepeatedKeys: false).exceededBudget, "\(source)")
        }
        let composed = try #require(try Yams.compose(yaml: text, .basic, .default, .utf8))
        var differences: [String] = []
        compare(built, composed, at: "root", into: &differences)
        #expect(differences.isEmpty, "\(source): \(differences.prefix(5))")
    }

    private func compare(_ built: Node, _ composed: Node, at path: String, into differences: inout [String]) {
        if built.mark?.line != composed.mark?.line || built.mark?.column != composed.mark?.column {
            differences.append("\(path): mark \(String(describing: built.mark)) ≠ \(String(describing: composed.mark))")
        }
        switch (built, composed) {
        case (.scalar(let left), .scalar(let right)):
            if left.string != right.string { differences.append("\(path): '\(left.string)' ≠ '\(right.string)'") }
            if left.tag.rawValue != right.tag.rawValue { differences.append("\(path): tag \(left.tag.rawValue) ≠ \(right.tag.rawValue)") }
            if left.style != right.style { differences.append("\(path): style \(left.style) ≠ \(right.style)") }
        case (.sequence(let left), .sequence(let right)):
            if left.tag.rawValue != right.tag.rawValue { differences.append("\(path): tag \(left.tag.rawValue) ≠ \(right.tag.rawValue)") }
            if left.style != right.style { differences.append("\(path): style \(left.style) ≠ \(right.style)") }
            guard left.count == right.count else {
                differences.append("\(path): \(left.count) items ≠ \(right.count)")
                return
            }
            for (index, (leftItem, rightItem)) in zip(left, right).enumerated() {
                compare(leftItem, rightItem, at: "\(path)[\(index)]", into: &differences)
            }
        case (.mapping(let left), .mapping(let right)):
            if left.tag.rawValue != right.tag.rawValue { differences.append("\(path): tag \(left.tag.rawValue) ≠ \(right.tag.rawValue)") }
            if left.style != right.style { differences.append("\(path): style \(left.style) ≠ \(right.style)") }
            guard left.count == right.count else {
                differences.append("\(path): \(left.count) keys ≠ \(right.count)")
                return
            }
            for (leftPair, rightPair) in zip(left, right) {
                let name = leftPair.key.scalar?.string ?? "?"
                compare(leftPair.key, rightPair.key, at: "\(path).key(\(name))", into: &differences)
                compare(leftPair.value, rightPair.value, at: "\(path).\(name)", into: &differences)
            }
        default:
            differences.append("\(path): \(built) ≠ \(composed)")
        }
    }
}
