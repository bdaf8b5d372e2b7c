import BatonEngine
import Foundation
import Yams

/// Loads theme files: reads the YAML through the core every loader shares (the byte checks,
/// composing and its guards), then validates every role, colour, attribute and glyph,
/// reporting all problems at once as `file:line:column: message`.
///
/// The format is described in `docs/themes.md` and at the top of every file in `themes/`.
public enum ThemeLoader {
    /// The largest theme file accepted, 1 MiB.
    public static let maximumFileSize = 1 << 20

    /// Reads and loads the theme file at `path`; problems name the file as `path`.
    public static func load(contentsOf path: String, requireComplete: Bool = false) throws(ThemeLoadError) -> Theme {
        try load(data: readFile(path), file: path, requireComplete: requireComplete)
    }

    /// Loads the theme in `yaml`; `file` names it in problems and gives the default name.
    ///
    /// With `requireComplete`, a role or glyph the text leaves out is a problem; otherwise it
    /// takes the value of ``Theme/builtInDark`` or ``Theme/unicodeGlyphs``.
    public static func load(yaml: String, file: String, requireComplete: Bool = false) throws(ThemeLoadError) -> Theme {
        try load(data: Array(yaml.utf8), file: file, requireComplete: requireComplete)
    }

    /// Loads the theme in the UTF-8 bytes `data`, read through the YAML core every loader
    /// shares (`YAMLComposer.compose(checking:file:)`); only what is a theme is checked here.
    public static func load(data: [UInt8], file: String, requireComplete: Bool = false) throws(ThemeLoadError) -> Theme {
        if data.count > maximumFileSize { throw tooLarge(data.count, file: file) }
        let name = defaultName(forFile: file)
        // Composing and releasing the node tree recurse once per nesting level.
        let result = LargeStackThread.run { () -> Result<Theme, ThemeLoadError> in
            do throws(ThemeLoadError) {
                return .success(try build(data, file: file, defaultName: name, requireComplete: requireComplete))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The name a theme gets when its file has no `name:`: the file name without its extension.
    static func defaultName(forFile file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? ""
        let stem = base.lastIndex(of: ".").map { base[..<$0] }.map(String.init) ?? base
        return stem.isEmpty || stem == "-" ? "theme" : stem
    }

    /// The YAML, then every key.
    private static func build(
        _ data: [UInt8], file: String, defaultName: String, requireComplete: Bool
    ) throws(ThemeLoadError) -> Theme {
        let document: YAMLComposer.Document
        do throws(WorkflowLoadError) {
            document = try YAMLComposer.compose(checking: data, file: file)
        } catch {
            // An unquoted `#rrggbb` is a likely cause of a syntax error further on.
            let hints = ThemeSource(String(decoding: data, as: UTF8.self)).unquotedHexComments(file: file)
            throw ThemeLoadError(problems: hints + error.problems)
        }
        guard let root = document.root else {
            throw ThemeLoadError(file: file, message: "file is empty; a theme needs at least 'roles' or 'glyphs'")
        }
        let source = ThemeSource(String(decoding: data, as: UTF8.self))
        var decoder = ThemeDecoder(file: file, source: source, renamedKeys: document.renamedKeys, requireComplete: requireComplete)
        let decoded = decoder.decode(root: root, defaultName: defaultName)
        if !decoder.problems.isEmpty { throw ThemeLoadError(problems: decoder.problems) }
        guard let decoded else {
            // The decoder reports why it returns nothing, so this is not reached.
            throw ThemeLoadError(file: file, message: "the file holds no theme")
        }
        return decoded.theme
    }

    /// The bytes of the file at `path`, refusing directories and anything over the size limit.
    static func readFile(_ path: String) throws(ThemeLoadError) -> [UInt8] {
        do {
            return try BoundedFileReader.read(path, limit: maximumFileSize)
        } catch {
            switch error {
            case .unreadable(let reason):
                throw ThemeLoadError(file: path, message: "cannot read the theme file: \(reason)")
            case .tooLarge(let size):
                throw tooLarge(size, file: path)
            case .stalled(let waited, let received):
                let reason = BoundedFileReader.describeStall(waited: waited, received: received)
                throw ThemeLoadError(file: path, message: "cannot read the theme file: \(reason)")
            }
        }
    }

    static func tooLarge(_ size: Int, file: String) -> ThemeLoadError {
        ThemeLoadError(file: file, message: "file is \(size) bytes; a theme file may be at most 1 MiB")
    }
}

