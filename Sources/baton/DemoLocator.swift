import BatonBuiltIns
import BatonEngine
import Foundation

/// Finds the demo workflows: those in the folder `$BATON_DEMO_DIR` names, else the demos
/// built into Baton (the repository's `demo/*.yaml`, compiled in), so `baton demo` works
/// from any folder. The working folder is not searched.
enum DemoLocator {
    /// The environment variable naming a folder of demos to use instead of the built-in ones.
    static let environmentVariable = "BATON_DEMO_DIR"

    /// One demo and what it holds.
    struct Demo {
        var name: String
        /// How problems name its file: its path, or `builtin:demo/NAME.yaml`.
        var file: String
        /// The workflow with the texts it was loaded from, or what is wrong with it.
        var definition: Result<WorkflowDefinition, WorkflowLoadError>
        /// How problems name a file it calls (`uses:`).
        var calledFileName: @Sendable (String) -> String

        /// The first sentence of the workflow's description, or what is wrong with the file.
        var summary: String {
            switch definition {
            case .success(let definition):
                let workflow = definition.workflow
                guard let description = workflow.description, !description.isEmpty else { return workflow.name }
                let flat = description.split(whereSeparator: \.isNewline).joined(separator: " ")
                if let end = flat.range(of: ". ") { return String(flat[..<end.lowerBound]) + "." }
                return flat
            case .failure(let error):
                return "(invalid: \(error.problems.first.map { "\($0)" } ?? "cannot be loaded"))"
            }
        }
    }

    /// The demos found and where they come from.
    struct Found {
        var demos: [Demo]
        /// Where they come from, for the listing: built in, or the folder.
        var origin: String
    }

    /// The demos there are, by name, and where they come from; or why `$BATON_DEMO_DIR`
    /// cannot be used.
    static func demos(environment: [String: String] = ProcessInfo.processInfo.environment) -> Result<Found, DemoFolderError> {
        guard let folder = environment[environmentVariable], !folder.isEmpty else {
            return .success(Found(demos: builtIn(BuiltInFiles.demos), origin: "built into baton"))
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return .failure(DemoFolderError("\(environmentVariable) names \(folder), which is not a folder; unset it to use the built-in demos"))
        }
        let found = demos(in: folder)
        guard !found.isEmpty else {
            return .failure(DemoFolderError("\(environmentVariable) names \(folder), which holds no demos (.yaml files); unset it to use the built-in demos"))
        }
        return .success(Found(demos: found, origin: "from \(environmentVariable), \(folder)"))
    }

    /// Every `*.yaml` demo in `directory`, by name.
    static func demos(in directory: String) -> [Demo] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.sorted().map { file in
            let path = "\(directory)/\(file)"
            let definition = Result { () throws(WorkflowLoadError) -> WorkflowDefinition in try WorkflowLoader.loadWithText(contentsOf: path) }
            let names = CalledFileSource.files(besideFile: path)
            return Demo(name: String(file.dropLast(".yaml".count)), file: path, definition: definition, calledFileName: names.displayName)
        }
    }

    /// The demos in `files`, loaded from their bytes; a file one of them calls is read from
    /// the same files.
    static func builtIn(_ files: [BuiltInFile]) -> [Demo] {
        let source = builtInSource(files)
        return files.sorted { $0.name < $1.name }.map { file in
            var calling = source
            calling.main = "\(file.name).yaml"
            let definition = Result { () throws(WorkflowLoadError) -> WorkflowDefinition in
                try WorkflowLoader.loadDefinition(data: file.bytes, file: file.displayPath, calling: calling, fingerprinting: true)
            }
            return Demo(name: file.name, file: file.displayPath, definition: definition, calledFileName: source.displayName)
        }
    }

    /// Where a built-in demo's `uses:` files are read: among the built-in demos, by file name.
    private static func builtInSource(_ files: [BuiltInFile]) -> CalledFileSource {
        var byPath: [String: BuiltInFile] = [:]
        for file in files { byPath["\(file.name).yaml"] = file }
        let known = byPath
        return CalledFileSource(
            main: "",
            read: { path in
                guard let file = known[path] else { return .failure(.unreadable("it is not one of the demos built into baton")) }
                return .success(file.bytes)
            },
            displayName: { path in known[path]?.displayPath ?? "builtin:demo/\(path)" },
            // Demos are simulated: no ssh_config is read.
            checksSSHConfig: false)
    }
}
