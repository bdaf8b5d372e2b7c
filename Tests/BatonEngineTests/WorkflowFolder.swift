import Foundation
@testable import BatonEngine

/// A temporary folder of workflow files, for the tests of `uses:`: files are written by their
/// path inside it, loaded from it, and problems are said with paths relative to it.
struct WorkflowFolder {
    let path: String

    /// Writes `files` (path inside the folder → text) into a new temporary folder.
    init(_ files: [String: String]) throws {
        path = EngineTestSupport.temporaryDirectory()
        for (name, text) in files { try write(name, text) }
    }

    /// Writes (or replaces) the file `name`, making the folders it is in.
    func write(_ name: String, _ text: String) throws {
        let file = "\(path)/\(name)"
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(atPath: "\(path)/\(name)")
    }

    /// The workflow in the file `name`, with the files it calls.
    func load(_ name: String = "main.yaml") throws(WorkflowLoadError) -> Workflow {
        try WorkflowLoader.load(contentsOf: "\(path)/\(name)")
    }

    /// The workflow in the file `name` with the texts it and its called files were loaded from.
    func definition(_ name: String = "main.yaml") throws -> WorkflowDefinition {
        try WorkflowLoader.loadWithText(contentsOf: "\(path)/\(name)")
    }

    /// The problems loading `name` reports, as `file:line:column: message` with the file
    /// relative to the folder; none when it loads.
    func problems(_ name: String = "main.yaml") -> [String] {
        do {
            _ = try load(name)
            return []
        } catch {
            return error.problems.map { $0.description.replacingOccurrences(of: path + "/", with: "") }
        }
    }
}
