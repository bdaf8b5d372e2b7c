import BatonBuiltIns
import BatonEngine
import BatonTerminal
import Foundation
import Testing
@testable import BatonConsole

/// Where themes are found: the search folders (`$BATON_THEME_DIR`, then the user's), then the
/// built-in themes; and what an unknown or broken name says.
@Suite("Theme catalog")
struct ThemeCatalogTests {
    /// The repository's `themes/` folder, found from this file's path.
    private static let repositoryThemes = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("themes").path

    private let ocean = "name: ocean\nroles:\n  muted: {fg: 31}\n"

    /// A scratch folder, removed by `remove()`.
    private struct Scratch {
        let path: String

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-catalog-tests-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        @discardableResult
        func write(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }

        func folder(_ name: String) throws -> String {
            let folder = path + "/" + name
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return folder
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }
    }

    /// A built-in theme for the tests, as `BuiltInFiles.themes` holds them.
    private func builtIn(_ name: String, _ yaml: String) -> BuiltInFile {
        BuiltInFile(name: name, bytes: Array(yaml.utf8), folder: "themes")
    }

    /// The problems resolving `name` reports; empty when it resolves.
    private func problems(_ name: String, in directories: [String], builtIns: [BuiltInFile]) -> [String] {
        do {
            _ = try ThemeCatalog.resolve(name, searchDirectories: directories, builtIns: builtIns)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func pathsAndNamesAreTold() {
        #expect(ThemeCatalog.isPath("themes/ocean.yaml"))
        #expect(ThemeCatalog.isPath("ocean.yaml"))
        #expect(ThemeCatalog.isPath("./ocean"))
        #expect(!ThemeCatalog.isPath("ocean"))
        #expect(!ThemeCatalog.isPath("high-contrast"))
    }

    @Test func resolvesByNameInTheFirstFolderThatHasIt() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let first = try scratch.folder("one")
        let second = try scratch.folder("two")
        try scratch.write("two/ocean.yaml", ocean)
        try scratch.write("two/sand.yaml", "name: sand-two\n")
        try scratch.write("one/sand.yaml", "name: sand-one\n")
        #expect(try ThemeCatalog.resolve("ocean", searchDirectories: [first, second]).style(.muted) == Style(foreground: .indexed(31)))
        #expect(try ThemeCatalog.resolve("sand", searchDirectories: [first, second]).name == "sand-one")
        #expect(try ThemeCatalog.resolve("sand", searchDirectories: [second, first]).name == "sand-two")
    }

    @Test func aFolderThemeTakesThePlaceOfTheBuiltInOneOfItsName() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = try scratch.folder("themes")
        let builtIns = [builtIn("sand", "name: sand-built-in\n")]
        #expect(try ThemeCatalog.resolve("sand", searchDirectories: [folder], builtIns: builtIns).name == "sand-built-in")
        try scratch.write("themes/sand.yaml", "name: sand-mine\n")
        #expect(try ThemeCatalog.resolve("sand", searchDirectories: [folder], builtIns: builtIns).name == "sand-mine")
        #expect(try ThemeCatalog.resolve("sand", searchDirectories: [], builtIns: builtIns).name == "sand-built-in")
    }

    @Test func theShippedThemesResolveWithoutAnyFolder() throws {
        for name in ["dark", "light", "high-contrast", "mono"] {
            let resolved = try ThemeCatalog.resolve(name, searchDirectories: [])
            let file = try ThemeLoader.load(contentsOf: Self.repositoryThemes + "/\(name).yaml")
            #expect(resolved == file, "\(name)")
        }
        #expect(ThemeCatalog.available(in: []) == ["dark", "high-contrast", "light", "mono"])
    }

    @Test func resolvesByPath() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("elsewhere/ocean.yaml", ocean)
        // Not in any search folder, but a path is loaded as it is.
        #expect(try ThemeCatalog.resolve(path, searchDirectories: []).name == "ocean")
        let broken = try scratch.write("elsewhere/broken.yaml", "roles:\n  muted: {fg: 999}\n")
        let found = problems(broken, in: [], builtIns: [])
        #expect(found.first?.hasPrefix("\(broken):2:15: 'fg' of 'muted': '999'") == true, "\(found)")
    }

    @Test func brokenThemeFoundByNameReportsItsProblems() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = try scratch.folder("themes")
        try scratch.write("themes/bad.yaml", "roles:\n  mutd: {}\n")
        #expect(problems("bad", in: [folder], builtIns: BuiltInFiles.themes) == ["\(folder)/bad.yaml:2:3: unknown role 'mutd'; did you mean 'muted'?"])
    }

    @Test func aBrokenFileInThePlaceOfABuiltInThemeSaysSo() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = try scratch.folder("themes")
        try scratch.write("themes/light.yaml", "roles:\n  mutd: {}\n")
        #expect(problems("light", in: [folder], builtIns: BuiltInFiles.themes) == [
            "\(folder)/light.yaml:2:3: unknown role 'mutd'; did you mean 'muted'?",
            "\(folder)/light.yaml takes the place of the built-in theme 'light'; rename or remove it to use the built-in one",
        ])
    }

    @Test func unknownNameListsTheThemesAndWhereTheyWereLookedFor() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = try scratch.folder("themes")
        try scratch.write("themes/ocean.yaml", ocean)
        #expect(problems("oceam", in: [folder, scratch.path + "/missing"], builtIns: BuiltInFiles.themes) == [
            "unknown theme 'oceam'; did you mean 'ocean'? Available themes: dark, high-contrast, light, mono, ocean "
                + "(looked in \(folder), then \(scratch.path)/missing, then the built-in themes)",
        ])
        try scratch.write("themes/light.yaml", ocean)
        #expect(problems("solarized", in: [folder], builtIns: BuiltInFiles.themes) == [
            "unknown theme 'solarized'; available themes: dark, high-contrast, light, mono, ocean (looked in \(folder), then the built-in themes); "
                + "\(folder)/light.yaml takes the place of the built-in theme 'light'",
        ])
        #expect(problems("solarized", in: [], builtIns: []) == [
            "unknown theme 'solarized'; available themes: dark (looked in the built-in themes)",
        ])
        #expect(problems(" ", in: [], builtIns: []) == ["the theme name is empty; available themes: dark (looked in the built-in themes)"])
    }

    @Test func darkResolvesWithoutAnyFile() throws {
        #expect(try ThemeCatalog.resolve("dark", searchDirectories: [], builtIns: []) == Theme.builtInDark)
        #expect(ThemeCatalog.available(in: [], builtIns: []) == ["dark"])
    }

    @Test func availableListsYamlFilesOnly() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let folder = try scratch.folder("themes")
        try scratch.write("themes/ocean.yaml", ocean)
        try scratch.write("themes/notes.txt", "x")
        try scratch.write("themes/.hidden.yaml", ocean)
        try scratch.write("themes/old.yml", ocean)
        _ = try scratch.folder("themes/folder.yaml")
        #expect(ThemeCatalog.available(in: [folder, scratch.path + "/missing"], builtIns: []) == ["dark", "ocean"])
    }

    @Test func defaultThemeUsesTheDarkThemeOrFallsBack() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let custom = try scratch.folder("custom")
        try scratch.write("custom/dark.yaml", "roles:\n  muted: {fg: 100}\n")
        #expect(ThemeCatalog.defaultTheme(searchDirectories: [custom]).style(.muted) == Style(foreground: .indexed(100)))
        let broken = try scratch.folder("broken")
        try scratch.write("broken/dark.yaml", "roles: [\n")
        #expect(ThemeCatalog.defaultTheme(searchDirectories: [broken, custom]) == Theme.builtInDark)
        #expect(ThemeCatalog.defaultTheme(searchDirectories: [scratch.path + "/none"]) == Theme.builtInDark)
        #expect(ThemeCatalog.defaultTheme(searchDirectories: [Self.repositoryThemes]) == Theme.builtInDark)
    }

    @Test func searchFoldersAreTheVariableThenTheUsersThemes() throws {
        let found = ThemeCatalog.defaultSearchDirectories(
            environment: ["BATON_THEME_DIR": "/opt/themes", "XDG_CONFIG_HOME": "/x/config", "HOME": "/home/a"], currentDirectory: "/work")
        #expect(found == ["/opt/themes", "/x/config/baton/themes"])

        // Without the variable and XDG_CONFIG_HOME, the home folder's .config; the working
        // folder's `themes` is not searched.
        #expect(ThemeCatalog.defaultSearchDirectories(environment: ["HOME": "/home/a"], currentDirectory: "/work") == ["/home/a/.config/baton/themes"])

        // A relative variable is read from the working folder; a relative XDG_CONFIG_HOME is ignored.
        let relative = ThemeCatalog.defaultSearchDirectories(
            environment: ["BATON_THEME_DIR": "mine", "XDG_CONFIG_HOME": "config", "HOME": "/home/a"], currentDirectory: "/work")
        #expect(relative == ["/work/mine", "/home/a/.config/baton/themes"])

        // An empty variable is unset; the same folder named twice is listed once.
        #expect(ThemeCatalog.defaultSearchDirectories(environment: ["BATON_THEME_DIR": "", "HOME": "/h"], currentDirectory: "/") == ["/h/.config/baton/themes"])
        let twice = ThemeCatalog.defaultSearchDirectories(
            environment: ["BATON_THEME_DIR": "/h/.config/baton/themes", "HOME": "/h"], currentDirectory: "/")
        #expect(twice == ["/h/.config/baton/themes"])
    }

    @Test func theUsersThemesComeBeforeTheBuiltInOnes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("config/baton/themes/light.yaml", "name: my-light\n")
        try scratch.write("config/baton/themes/ocean.yaml", ocean)
        try scratch.write("override/ocean.yaml", "name: ocean-override\n")
        let user = ThemeCatalog.defaultSearchDirectories(environment: ["XDG_CONFIG_HOME": scratch.path + "/config"], currentDirectory: "/")
        #expect(try ThemeCatalog.resolve("light", searchDirectories: user).name == "my-light")
        #expect(try ThemeCatalog.resolve("ocean", searchDirectories: user).name == "ocean")
        #expect(try ThemeCatalog.resolve("mono", searchDirectories: user).name == "mono")
        let both = ThemeCatalog.defaultSearchDirectories(
            environment: ["XDG_CONFIG_HOME": scratch.path + "/config", "BATON_THEME_DIR": scratch.path + "/override"], currentDirectory: "/")
        #expect(try ThemeCatalog.resolve("ocean", searchDirectories: both).name == "ocean-override")
        #expect(try ThemeCatalog.resolve("light", searchDirectories: both).name == "my-light")
    }
}
