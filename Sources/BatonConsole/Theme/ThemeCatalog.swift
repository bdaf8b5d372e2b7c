import BatonBuiltIns
import BatonEngine
import Foundation

/// Finds themes by name in theme folders and among the built-in themes, or by path.
///
/// A theme named `light` is the file `light.yaml` in the first search folder that has one
/// (`$BATON_THEME_DIR`, then the user's themes folder), else the built-in theme of that name
/// (the repository's `themes/`, compiled into Baton). So a file named like a built-in theme
/// takes its place. The name `dark` always resolves: without any `dark` theme it is
/// ``Theme/builtInDark``.
public enum ThemeCatalog {
    /// The environment variable naming a theme folder, searched first.
    public static let environmentVariable = "BATON_THEME_DIR"

    /// The theme used when none is chosen.
    public static let defaultName = "dark"

    /// True when `value` names a file rather than a theme: it holds a `/` or ends in `.yaml`.
    public static func isPath(_ value: String) -> Bool {
        value.contains("/") || value.hasSuffix(".yaml")
    }

    /// The theme named or pointed at by `nameOrPath`, among the folders `searchDirectories`
    /// and then the built-in themes.
    ///
    /// A path is loaded as it is (relative to the current folder). A name is looked up as
    /// `<folder>/<name>.yaml` in `searchDirectories`, in order, then among the built-in
    /// themes; an unknown name gives an error listing the themes there are.
    public static func resolve(_ nameOrPath: String, searchDirectories: [String]) throws(ThemeLoadError) -> Theme {
        try resolve(nameOrPath, searchDirectories: searchDirectories, builtIns: BuiltInFiles.themes)
    }

    /// ``resolve(_:searchDirectories:)`` with `builtIns` as the built-in themes.
    package static func resolve(_ nameOrPath: String, searchDirectories: [String], builtIns: [BuiltInFile]) throws(ThemeLoadError) -> Theme {
        if isPath(nameOrPath) { return try ThemeLoader.load(contentsOf: nameOrPath) }
        let name = nameOrPath.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw ThemeLoadError(problems: ["the theme name is empty; \(choices(in: searchDirectories, builtIns: builtIns))"])
        }
        if let path = path(forName: name, in: searchDirectories) {
            do {
                return try ThemeLoader.load(contentsOf: path)
            } catch {
                // The person may not know their file hides the built-in theme they asked for.
                guard builtIns.contains(where: { $0.name == name }) else { throw error }
                throw ThemeLoadError(problems: error.problems + [
                    "\(path) takes the place of the built-in theme '\(name)'; rename or remove it to use the built-in one",
                ])
            }
        }
        if let builtIn = builtIns.first(where: { $0.name == name }) {
            return try ThemeLoader.load(data: builtIn.bytes, file: builtIn.displayPath)
        }
        if name == Theme.builtInDark.name { return Theme.builtInDark }
        let hint = Suggestion.hint(for: name, among: available(in: searchDirectories, builtIns: builtIns))
        let separator = hint.isEmpty ? "; " : " "
        let choices = choices(in: searchDirectories, builtIns: builtIns, capitalized: !hint.isEmpty)
        throw ThemeLoadError(problems: ["unknown theme '\(name)'\(hint)\(separator)\(choices)"])
    }

    /// The sentence listing the themes there are, where they were looked for, and which files
    /// take the place of a built-in theme.
    private static func choices(in directories: [String], builtIns: [BuiltInFile], capitalized: Bool = false) -> String {
        let names = available(in: directories, builtIns: builtIns)
        let searched = (directories + ["the built-in themes"]).joined(separator: ", then ")
        var text = "\(capitalized ? "Available" : "available") themes: \(names.joined(separator: ", ")) (looked in \(searched))"
        for builtIn in builtIns {
            guard let path = path(forName: builtIn.name, in: directories) else { continue }
            text += "; \(path) takes the place of the built-in theme '\(builtIn.name)'"
        }
        return text
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

    /// The names of the themes in `directories` (their `.yaml` files) and of the built-in
    /// themes, sorted and each once; always includes `dark`.
    public static func available(in directories: [String]) -> [String] {
        available(in: directories, builtIns: BuiltInFiles.themes)
    }

    /// ``available(in:)`` with `builtIns` as the built-in themes.
    package static func available(in directories: [String], builtIns: [BuiltInFile]) -> [String] {
        var names: Set<String> = [Theme.builtInDark.name]
        names.formUnion(builtIns.map(\.name))
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

    /// The theme used when none is chosen: the `dark` theme when it loads, otherwise
    /// ``Theme/builtInDark``.
    public static func defaultTheme(searchDirectories: [String]) -> Theme {
        (try? resolve(defaultName, searchDirectories: searchDirectories)) ?? Theme.builtInDark
    }

    /// Where themes are looked for before the built-in ones, in order: `$BATON_THEME_DIR` when
    /// set, then the user's themes folder, `$XDG_CONFIG_HOME/baton/themes` (else
    /// `~/.config/baton/themes`), whether or not it exists, so an error can say where to put
    /// one. The working folder and the executable's folder are not searched: a `themes` folder
    /// that happens to be there is not Baton's.
    public static func defaultSearchDirectories() -> [String] {
        defaultSearchDirectories(environment: ProcessInfo.processInfo.environment, currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// ``defaultSearchDirectories()`` for a given environment and working folder (against
    /// which a relative `$BATON_THEME_DIR` is read).
    static func defaultSearchDirectories(environment: [String: String], currentDirectory: String) -> [String] {
        var result: [String] = []
        if let custom = environment[environmentVariable], !custom.isEmpty {
            result.append(custom.hasPrefix("/") ? custom : join(currentDirectory, custom))
        }
        let user = join(ConsoleConfigLocation.userFolder(environment: environment), "themes")
        if !result.contains(user) { result.append(user) }
        return result
    }

    private static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}
