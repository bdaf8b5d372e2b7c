import Foundation
import Yams

/// Loads workflow files: checks the bytes, parses the YAML, and validates every field and
/// dependency, reporting all problems at once.
public enum WorkflowLoader {
    /// The largest file accepted, 16 MiB.
    public static let maximumFileSize = 16 << 20

    /// Loads the workflow in `text`; `file` names it in problems and gives the default name,
    /// and the files its `uses:` steps name are read beside it.
    public static func load(yaml text: String, file: String) throws(WorkflowLoadError) -> Workflow {
        try loadDefinition(yaml: text, file: file, calling: .files(besideFile: file)).workflow
    }

    /// Loads the workflow in the UTF-8 bytes `data`.
    public static func load(data: [UInt8], file: String) throws(WorkflowLoadError) -> Workflow {
        try loadDefinition(data: data, file: file, calling: .files(besideFile: file)).workflow
    }

    /// Loads the workflow in the UTF-8 bytes `data`.
    public static func load(data: Data, file: String) throws(WorkflowLoadError) -> Workflow {
        if data.count > maximumFileSize { throw tooLarge(data.count, file: file) }
        return try load(data: [UInt8](data), file: file)
    }

    /// Loads the workflow in `text` with the texts of every file it calls, read from `source`.
    package static func loadDefinition(
        yaml text: String, file: String, calling source: CalledFileSource
    ) throws(WorkflowLoadError) -> WorkflowDefinition {
        let size = text.utf8.count
        if size > maximumFileSize { throw tooLarge(size, file: file) }
        var text = text
        let textProblem = text.withUTF8 { TextValidator.check($0) }
        if let textProblem { throw WorkflowLoadError(file: file, textProblem) }
        return try parse(text, file: file, source: source)
    }

    /// Loads the workflow in the UTF-8 bytes `data` with the texts of every file it calls.
    package static func loadDefinition(
        data: [UInt8], file: String, calling source: CalledFileSource, fingerprinting: Bool = false
    ) throws(WorkflowLoadError) -> WorkflowDefinition {
        if data.count > maximumFileSize { throw tooLarge(data.count, file: file) }
        let textProblem = data.withUnsafeBufferPointer { TextValidator.check($0) }
        if let textProblem { throw WorkflowLoadError(file: file, textProblem) }
        return try parse(String(decoding: data, as: UTF8.self), file: file, source: source, fingerprinting: fingerprinting)
    }

    /// The name a workflow gets when its file has no `name:`: the file name without its extension.
    static func defaultName(forFile file: String) -> String {
        let base = file.split(separator: "/").last.map(String.init) ?? ""
        let stem = base.lastIndex(of: ".").map { base[..<$0] }.map(String.init) ?? base
        return stem.isEmpty || stem == "-" ? "workflow" : stem
    }

    static func tooLarge(_ size: Int, file: String) -> WorkflowLoadError {
        WorkflowLoadError(file: file, location: .start, message: "file is \(size) bytes; the limit is 16 MiB")
    }

    /// Parses and validates checked text and the files it calls, on a thread with room for deep YAML.
    /// With `fingerprinting`, the definition comes with its fingerprint, whose parts are taken
    /// on a thread of their own meanwhile: on a file of many steps they take a fifth of the
    /// time to a run's first frame, and a second core is free while the first loads.
    private static func parse(
        _ text: String, file: String, source: CalledFileSource, fingerprinting: Bool = false
    ) throws(WorkflowLoadError) -> WorkflowDefinition {
        // The parts are read, and built with the text's digest, on a thread of their own while
        // this one composes and decodes the same text.
        let walk = fingerprinting ? LargeStackThread.start { DefinitionFingerprint.walk(text).finished(for: text) } : nil
        let result = LargeStackThread.run { () -> Result<WorkflowDefinition, WorkflowLoadError> in
            let assembler = WorkflowAssembler(source: source)
            let assembled = assembler.assembleMain(text, file: file)
            if !assembler.problems.isEmpty {
                return .failure(WorkflowLoadError(problems: SourceProblem.ordered(assembler.problems, files: assembler.fileOrder)))
            }
            guard let assembled else {
                // The assembler reports why it returns nothing, so this is not reached.
                return .failure(WorkflowLoadError(file: file, location: .start, message: "the file holds no workflow"))
            }
            // A resumed run finds the workflow's ssh_config from where the file was, not from its stored copy.
            let folder = assembled.workflow.inventory.sshConfig == nil ? nil : source.folder
            let called = CalledFiles(main: source.main, files: assembler.calledFiles, folder: folder)
            return .success(WorkflowDefinition(workflow: assembled.workflow, text: text, calledFiles: called))
        }
        var definition = try result.get()
        if let walk {
            definition.fingerprint = DefinitionFingerprint(text: text, calledFiles: definition.calledFiles.files, walked: walk.result)
        }
        return definition
    }
}
