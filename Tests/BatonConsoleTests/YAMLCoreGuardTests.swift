import BatonEngine
import Testing
@testable import BatonConsole

/// The three loaders of YAML files, each reading through the one core in BatonEngine/Loading.
enum YAMLFileLoader: String, CaseIterable, CustomStringConvertible {
    case workflow, theme, config

    var description: String { rawValue }

    /// The problems loading `bytes` as this kind of file reports, each as `file:line:column: …`;
    /// empty when it loads.
    func problems(_ bytes: [UInt8], file: String = "f.yaml") -> [String] {
        switch self {
        case .workflow:
            do {
                _ = try WorkflowLoader.load(data: bytes, file: file)
                return []
            } catch {
                return error.problems.map(\.description)
            }
        case .theme:
            do {
                _ = try ThemeLoader.load(data: bytes, file: file)
                return []
            } catch {
                return error.problems
            }
        case .config:
            do {
                _ = try ConsoleConfigLoader.load(data: bytes, file: file)
                return []
            } catch {
                return error.problems.map(\.description)
            }
        }
    }

    /// How many bytes the loader accepts at most.
    var maximumFileSize: Int {
        switch self {
        case .workflow: WorkflowLoader.maximumFileSize
        case .theme: ThemeLoader.maximumFileSize
        case .config: ConsoleConfigLoader.maximumFileSize
        }
    }
}

/// A hostile input and what every loader must say of it.
struct HostileYAML: CustomStringConvertible, Sendable {
    var description: String
    var bytes: [UInt8]
    /// A problem that must be reported, as `f.yaml:line:column: message` or its start.
    var expected: String
    /// Whether it must be the only problem; a workflow's decoder goes on past a nesting too
    /// deep, so it may say more.
    var isAlone = true

    static let all: [HostileYAML] = [
        HostileYAML(
            description: "bytes that are not UTF-8",
            bytes: Array("a: 1\nb: ".utf8) + [0xFF, 0x0A],
            expected: "f.yaml:2:4: not valid UTF-8 at line 2, column 4"
        ),
        HostileYAML(
            description: "a NUL byte",
            bytes: Array("a: é\r\n  ".utf8) + [0x00],
            expected: "f.yaml:2:3: not a text file: byte 0x00 at line 2, column 3"
        ),
        HostileYAML(
            description: "a non-character",
            bytes: Array("a: \u{85}b\u{FFFE}".utf8),
            expected: "f.yaml:2:2: not a text file: character U+FFFE at line 2, column 2"
        ),
        HostileYAML(
            description: "an alias bomb",
            bytes: Array(aliasBomb.utf8),
            expected: "f.yaml:1:1: the document has more than"
        ),
        HostileYAML(
            description: "an alias chain used as a key",
            bytes: Array(("chain: [&a [x], " + String(repeating: "&a [*a], ", count: 100_000) + "]\n? *a\n: v\n").utf8),
            expected: "f.yaml:1:"
        ),
        HostileYAML(
            description: "nesting past the YAML parser's limit",
            bytes: Array(("x: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n").utf8),
            expected: "f.yaml:1:"
        ),
        HostileYAML(
            description: "nesting deeper than 64 levels",
            bytes: Array(("x: " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "\n").utf8),
            expected: "f.yaml:1:67: nesting is too deep: more than 64 levels",
            isAlone: false
        ),
        HostileYAML(
            description: "more than one document",
            bytes: Array("a: 1\n---\nb: 2\n".utf8),
            expected: "f.yaml:2:1: the file holds more than one YAML document; remove the extra '---' and what follows"
        ),
        HostileYAML(
            description: "a tab that indents",
            bytes: Array("a:\n\tb: 1\n".utf8),
            expected: "f.yaml:2:1: YAML syntax error: found character that cannot start any token (while scanning for the next token at line 2, column 1); YAML indents with spaces, not tabs"
        ),
        HostileYAML(
            description: "repeated keys in a large file",
            bytes: Array(repeatedKeysInALargeFile.utf8),
            expected: "f.yaml:6:1: duplicate key 'k'"
        ),
    ]

    /// Nine levels of ten aliases each: a billion values once expanded.
    static var aliasBomb: String {
        var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            bomb += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return bomb + "? *a9\n: v\n"
    }

    /// A file of 900 kB that repeats one key six times: composing it again for every repeat
    /// would read 5.4 MB, past the 4 MiB the core recomposes to rename repeated keys, so the
    /// fourth repeat is where it stops.
    static var repeatedKeysInALargeFile: String {
        "# " + String(repeating: "x", count: 900_000) + "\n" + String(repeating: "k: 1\n", count: 7)
    }
}

/// Each guard of the YAML core exists once and protects every loader: the workflow loader,
/// the theme loader and the console's config loader.
@Suite("YAML core guards")
struct YAMLCoreGuardTests {
    @Test(arguments: YAMLFileLoader.allCases, HostileYAML.all)
    func everyLoaderRefusesHostileInput(loader: YAMLFileLoader, input: HostileYAML) {
        let found = loader.problems(input.bytes)
        #expect(found.contains { $0.hasPrefix(input.expected) }, "\(found.prefix(5))")
        if input.isAlone { #expect(found.count == 1, "\(found.prefix(5))") }
    }

    @Test(arguments: YAMLFileLoader.allCases)
    func everyLoaderRefusesAFileOverItsLimit(loader: YAMLFileLoader) {
        let size = loader.maximumFileSize + 1
        let found = loader.problems(Array("#".utf8) + [UInt8](repeating: 0x78, count: size - 2) + [0x0A])
        #expect(found.count == 1 && found[0].hasPrefix("f.yaml:1:1: file is \(size) bytes;"), "\(found)")
    }

    @Test(arguments: YAMLFileLoader.allCases)
    func everyLoaderReadsAnEmptyValueAsNotGiven(loader: YAMLFileLoader) {
        // An empty `bold:` is not `false`, so it does not contradict `attrs: [bold]`.
        let text = switch loader {
        case .workflow: "steps:\n  a:\n    run: \"true\"\n    approval:\n      self_approval: ~\n"
        case .theme: "roles:\n  text: {bold: ~, attrs: [bold]}\n"
        case .config: "mouse: ~\n"
        }
        #expect(loader.problems(Array(text.utf8)) == [])
    }
}
