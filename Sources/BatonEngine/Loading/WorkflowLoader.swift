import Foundation
import Yams

/// Loads workflow files: checks the bytes, parses the YAML, and validates every field and
/// dependency, reporting all problems at once.
public enum WorkflowLoader {
    /// The largest file accepted, 16 MiB.
    public static let maximumFileSize = 16 << 20

    /// Loads the workflow in `text`; `file` names it in problems and gives the default name.
    public static func load(yaml text: String, file: String) throws(WorkflowLoadError) -> Workflow {
        let size = text.utf8.count
        if size > maximumFileSize { throw tooLarge(size, file: file) }
        var text = text
        let textProblem = text.withUTF8 { TextValidator.check($0) }
        if let textProblem { throw WorkflowLoadError(file: file, textProblem) }
        return try parse(text, file: file)
    }

    /// Loads the workflow in the UTF-8 bytes `data`.
    public static func load(data: [UInt8], file: String) throws(WorkflowLoadError) -> Workflow {
        if data.count > maximumFileSize { throw tooLarge(data.count, file: file) }
        let textProblem = data.withUnsafeBufferPointer { TextValidator.check($0) }
        if let textProblem { throw WorkflowLoadError(file: file, textProblem) }
        return try parse(String(decoding: data, as: UTF8.self), file: file)
    }

    /// Loads the workflow in the UTF-8 bytes `data`.
    public static func load(data: Data, file: String) throws(WorkflowLoadError) -> Workflow {
        if data.count > maximumFileSize { throw tooLarge(data.count, file: file) }
        return try load(data: [UInt8](data), file: file)
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

    /// Parses and validates checked text, on a thread with room for deep YAML.
    private static func parse(_ text: String, file: String) throws(WorkflowLoadError) -> Workflow {
        let result = LargeStackThread.run { () -> Result<Workflow, WorkflowLoadError> in
            do throws(WorkflowLoadError) {
                return .success(try build(text, file: file))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Everything after the text checks: YAML, fields, dependencies.
    private static func build(_ text: String, file: String) throws(WorkflowLoadError) -> Workflow {
        let document = try YAMLComposer.compose(text, file: file)
        guard let root = document.root, !isEmptyDocument(root) else {
            throw WorkflowLoadError(file: file, location: .start, message: "file is empty")
        }
        let budget = DocumentScanner.budget(forTextOfSize: text.utf8.count)
        let scan = DocumentScanner(file: file, renamedKeys: document.renamedKeys).scan(
            root, budget: budget, checkRepeatedKeys: !document.renamedKeys.isEmpty
        )
        if scan.exceededBudget { throw WorkflowLoadError(problems: scan.problems) }

        let decoder = WorkflowDecoder(
            file: file, text: text, renamedKeys: document.renamedKeys, repeatedKeys: scan.repeatedKeys
        )
        var decoded = decoder.decodeWorkflow(root: root, defaultName: defaultName(forFile: file))
        if decoded != nil { decoder.expandFanOuts(&decoded!) }
        var validator = DependencyValidator(file: file, steps: decoded?.steps ?? []) { node, offset in
            decoder.location(in: node, offset: offset)
        }
        let dependencyProblems = validator.validate()
        let problems = ordered(scan.problems + decoder.problems + dependencyProblems)
        if !problems.isEmpty { throw WorkflowLoadError(problems: problems) }
        guard let decoded else {
            // The decoder reports why it returns nothing, so this is not reached.
            throw WorkflowLoadError(file: file, location: .start, message: "the file holds no workflow")
        }
        return decoded.workflow
    }

    /// True for a document that holds nothing but an empty value.
    private static func isEmptyDocument(_ root: Node) -> Bool {
        guard case .scalar(let scalar) = root, scalar.style == .plain, scalar.tag.rawValue.isEmpty else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// The problems by position, each once.
    private static func ordered(_ problems: [WorkflowProblem]) -> [WorkflowProblem] {
        var seen: Set<WorkflowProblem> = []
        let unique = problems.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { lhs, rhs in
            lhs.element.location != rhs.element.location
                ? lhs.element.location < rhs.element.location
                : lhs.offset < rhs.offset
        }.map(\.element)
    }
}
