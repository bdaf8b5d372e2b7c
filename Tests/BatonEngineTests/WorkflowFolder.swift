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

    /// The workflow in the file `name`, with the files it calls, and with the inventory file
    /// `inventory` of the folder (`--inventory`) if given.
    func load(_ name: String = "main.yaml", inventory: String? = nil) throws(WorkflowLoadError) -> Workflow {
        try WorkflowLoader.load(contentsOf: "\(path)/\(name)", inventory: inventory.map { "\(path)/\($0)" })
    }

    /// The workflow in the file `name` with the texts it, its called files and its inventory
    /// file were loaded from.
    func definition(_ name: String = "main.yaml", inventory: String? = nil) throws -> WorkflowDefinition {
        try WorkflowLoader.loadWithText(contentsOf: "\(path)/\(name)", inventory: inventory.map { "\(path)/\($0)" })
    }

    /// The problems loading `name` (with the inventory file `inventory`) reports, as
    /// `file:line:column: message` with the file relative to the folder; none when it loads.
    func problems(_ name: String = "main.yaml", inventory: String? = nil) -> [String] {
        do {
            _ = try load(name, inventory: inventory)
            return []
        } catch {
            return error.problems.map { $0.description.replacingOccurrences(of: path + "/", with: "") }
        }
    }
}
