import BatonEngine
import Foundation

/// Finds themes by name in theme folders, or by path.
///
/// A theme named `light` is the file `light.yaml` in the first search folder that has one.
/// The name `dark` always resolves: to `dark.yaml` when a folder has one, otherwise to
/// ``Theme/builtInDark``.
public enum ThemeCatalog {
    /// The environment variable naming an extra theme folder, searched first.
    public static let environmentVariable = "BATON_THEME_DIR"

    /// The theme used when none is chosen.
    public static let defaultName = "dark"

    /// How many folders above the executable's are searched for a `themes` folder.
    static let executableSearchLevels = 5

    /// True when `value` names a file rather than a theme: it holds a `/` or ends in `.yaml`.
    public static func isPath(_ value: String) -> Bool {
        value.contains("/") || value.hasSuffix(".yaml")
    }

    /// The theme named or pointed at by `nameOrPath`.
    ///
    /// A path is loaded as it is (relative to the current folder). A name is looked up as
    /// `<folder>/<name>.yaml` in `searchDirectories`, in order; an unknown name gives an error
    /// listing the themes there are.
    public static func resolve(_ nameOrPath: String, searchDirectories: [String]) throws(ThemeLoadError) -> Theme {
        if isPath(nameOrPath) { return try ThemeLoader.load(contentsOf: nameOrPath) }
        let name = nameOrPath.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw ThemeLoadError(problems: ["the theme name is empty; \(choices(in: searchDirectories))"])
        }
        if let path = path(forName: name, in: searchDirectories) {
            return try ThemeLoader.load(contentsOf: path)
        }
        if name == Theme.builtInDark.name { return Theme.builtInDark }
        let hint = Suggestion.hint(for: name, among: available(in: searchDirectories))
        let separator = hint.isEmpty ? "; " : " "
        throw ThemeLoadError(problems: ["unknown theme '\(name)'\(hint)\(separator)\(choices(in: searchDirectories, capitalized: !hint.isEmpty))"])
    }

    /// The sentence listing the themes there are and where they were looked for.
    private static func choices(in directories: [String], capitalized: Bool = false) -> String {
        let names = available(in: directories)
        let searched = directories.isEmpty
            ? "no theme folders were found; set \(environmentVariable) or give the path of a .yaml file"
            : "looked in \(directories.joined(separator: ", "))"
        return "\(capitalized ? "Available" : "available") themes: \(names.joined(separator: ", ")) (\(searched))"
    }

    /// The file of the theme `name` in the first of `directories` that has it.
    public static func path(forName name: String, in directories: [String]) -> String? {
        for directory in directories {
            let path = join(directory, name + ".yaml")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return path
            }
        }
        return nil
    }

    /// The names of the themes in `directories` (their `.yaml` files), sorted and each once;
    /// always includes `dark`, which is built in.
    public static func available(in directories: [String]) -> [String] {
        var names: Set<String> = [Theme.builtInDark.name]
        for directory in directories {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for file in files where file.hasSuffix(".yaml") && !file.hasPrefix(".") {
                let name = String(file.dropLast(5))
                guard !name.isEmpty else { continue }
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: join(directory, file), isDirectory: &isDirectory), !isDirectory.boolValue {
                    names.insert(name)
                }
            }
        }
        return names.sorted()
    }

    /// The theme used when none is chosen: `dark.yaml` from the search folders when there is
    /// one and it loads, otherwise ``Theme/builtInDark``.
    public static func defaultTheme(searchDirectories: [String]) -> Theme {
        guard let path = path(forName: defaultName, in: searchDirectories),
              let theme = try? ThemeLoader.load(contentsOf: path) else {
            return Theme.builtInDark
        }
        return theme
    }

    /// Where themes are looked for, in order: `$BATON_THEME_DIR`, `./themes`, and the nearest
    /// `themes` (or `share/baton/themes`) folder found walking up to five levels from the
    /// executable. Only folders that exist are listed, each once; `$BATON_THEME_DIR` is always
    /// listed when set.
    public static func defaultSearchDirectories() -> [String] {
        defaultSearchDirectories(
            environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath,
            executable: executablePath()
        )
    }

    /// ``defaultSearchDirectories()`` for a given environment, working folder and executable.
    static func defaultSearchDirectories(environment: [String: String], currentDirectory: String, executable: String?) -> [String] {
        var result: [String] = []
        var seen: Set<String> = []
        func add(_ path: String, mustExist: Bool) {
            let standardized = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
            if mustExist {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: standardized, isDirectory: &isDirectory), isDirectory.boolValue else { return }
            }
            if seen.insert(standardized).inserted { result.append(path) }
        }
        if let custom = environment[environmentVariable], !custom.isEmpty {
            add(absolute(custom, in: currentDirectory), mustExist: false)
        }
        add(join(currentDirectory, "themes"), mustExist: true)
        if let executable {
            var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            levels: for _ in 0..<executableSearchLevels {
                for candidate in ["themes", "share/baton/themes"] {
                    let path = directory.appendingPathComponent(candidate).path
                    var isDirectory: ObjCBool = false
                    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                        add(path, mustExist: true)
                        break levels
                    }
                }
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        return result
    }

    /// The running executable's path with symbolic links resolved: `CommandLine.arguments[0]`,
    /// looked up in `PATH` when it holds no `/`.
    static func executablePath() -> String? {
        let argument = CommandLine.arguments.first ?? ""
        let currentDirectory = FileManager.default.currentDirectoryPath
        var path: String?
        if argument.contains("/") {
            path = absolute(argument, in: currentDirectory)
        } else if !argument.isEmpty {
            let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
            for folder in searchPath.split(separator: ":") {
                let candidate = absolute(join(String(folder), argument), in: currentDirectory)
                if FileManager.default.isExecutableFile(atPath: candidate) {
                    path = candidate
                    break
                }
            }
        }
        if path == nil { path = Bundle.main.executablePath }
        return path.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }

    private static func absolute(_ path: String, in directory: String) -> String {
        path.hasPrefix("/") ? path : join(directory, path)
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
