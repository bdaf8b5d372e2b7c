import BatonBuiltIns
import BatonEngine
import Foundation
import Testing
@testable import BatonConsole

/// The demos and themes compiled into baton are the repository's files, every one of them.
@Suite("Built-in files")
struct BuiltInFilesTests {
    /// The package's root folder, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The `.yaml` files directly in the repository's `folder`, by name without `.yaml`.
    static func repositoryFiles(_ folder: String) throws -> [String: [UInt8]] {
        let directory = root + "/" + folder
        var files: [String: [UInt8]] = [:]
        for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".yaml") {
            let data = try #require(FileManager.default.contents(atPath: directory + "/" + file))
            files[String(file.dropLast(".yaml".count))] = [UInt8](data)
        }
        return files
    }

    /// The built-in files by name, each name once.
    static func byName(_ files: [BuiltInFile]) -> [String: [UInt8]] {
        Dictionary(files.map { ($0.name, $0.bytes) }, uniquingKeysWith: { first, _ in first })
    }

    @Test func everyDemoOfTheRepositoryIsBuiltInAsItIs() throws {
        let repository = try Self.repositoryFiles("demo")
        #expect(!repository.isEmpty)
        #expect(BuiltInFiles.demos.count == Set(BuiltInFiles.demos.map(\.name)).count, "a name is listed twice")
        // A demo added to demo/ but not to BuiltInFiles.demos, or one listed there under another
        // file's bytes, fails here.
        #expect(Set(Self.byName(BuiltInFiles.demos).keys) == Set(repository.keys), "BuiltInFiles.demos must list every demo/*.yaml")
        let builtIn = Self.byName(BuiltInFiles.demos)
        for (name, bytes) in repository {
            // Compared apart from the expectation, so a failure names the file, not every byte.
            let same = builtIn[name] == bytes
            #expect(same, "built-in demo '\(name)' is not demo/\(name).yaml as it is")
        }
    }

    @Test func everyThemeOfTheRepositoryIsBuiltInAsItIs() throws {
        let repository = try Self.repositoryFiles("themes")
        #expect(!repository.isEmpty)
        #expect(BuiltInFiles.themes.count == Set(BuiltInFiles.themes.map(\.name)).count, "a name is listed twice")
        #expect(Set(Self.byName(BuiltInFiles.themes).keys) == Set(repository.keys), "BuiltInFiles.themes must list every themes/*.yaml")
        let builtIn = Self.byName(BuiltInFiles.themes)
        for (name, bytes) in repository {
            // Compared apart from the expectation, so a failure names the file, not every byte.
            let same = builtIn[name] == bytes
            #expect(same, "built-in theme '\(name)' is not themes/\(name).yaml as it is")
        }
    }

    @Test func builtInDemosLoad() throws {
        for demo in BuiltInFiles.demos {
            #expect(demo.displayPath == "builtin:demo/\(demo.name).yaml")
            let workflow = try WorkflowLoader.load(data: demo.bytes, file: demo.displayPath)
            #expect(workflow.name == demo.name)
        }
    }

    @Test func builtInThemesLoadComplete() throws {
        for theme in BuiltInFiles.themes {
            let loaded = try ThemeLoader.load(data: theme.bytes, file: theme.displayPath, requireComplete: true)
            #expect(loaded.name == theme.name)
        }
    }
}
