import BatonEngine
import Foundation

/// Finds the demo workflows: `$BATON_DEMO_DIR`, `./demo`, or a `demo` folder above the executable.
enum DemoLocator {
    /// One demo file and what it holds.
    struct Demo {
        var name: String
        var path: String
        var workflow: Result<Workflow, WorkflowLoadError>

        /// The first sentence of the workflow's description, or what is wrong with the file.
        var summary: String {
            switch workflow {
            case .success(let workflow):
                guard let description = workflow.description, !description.isEmpty else { return workflow.name }
                let flat = description.split(whereSeparator: \.isNewline).joined(separator: " ")
                if let end = flat.range(of: ". ") { return String(flat[..<end.lowerBound]) + "." }
                return flat
            case .failure(let error):
                return "(invalid: \(error.problems.first.map { "\($0)" } ?? "cannot be loaded"))"
            }
        }
    }

    /// The first folder that holds the flagship demo.
    static func directory() -> String? {
        var candidates: [String] = []
        if let directory = ProcessInfo.processInfo.environment["BATON_DEMO_DIR"], !directory.isEmpty {
            candidates.append(directory)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/demo")
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent("demo").path)
            folder.deleteLastPathComponent()
        }
        return candidates.first { FileManager.default.fileExists(atPath: "\($0)/\(DemoCommand.flagship).yaml") }
    }

    /// Every `*.yaml` demo in `directory`, by name.
    static func demos(in directory: String) -> [Demo] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted().map { file in
            let path = "\(directory)/\(file)"
            let workflow = Result { () throws(WorkflowLoadError) -> Workflow in try WorkflowLoader.load(contentsOf: path) }
            return Demo(name: String(file.dropLast(".yaml".count)), path: path, workflow: workflow)
        }
    }
}
