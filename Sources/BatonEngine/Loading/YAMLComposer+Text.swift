import Yams

extension YAMLComposer {
    /// The node tree of the UTF-8 bytes of a YAML file other than a workflow (a theme, the
    /// console's config), behind the guards a workflow passes: the byte checks
    /// (`TextValidator`), composing with the alias expansion check and repeated keys renamed
    /// within their budget, and the nesting and cost scan (`DocumentScanner`). Its root is nil
    /// for a file that holds nothing but an empty value (a file of comments).
    ///
    /// Repeated keys are left to the caller's decoder (`YAMLValue.namedEntries`), which says
    /// where each key was first given. Call it on a thread with a large stack
    /// (`LargeStackThread`): composing recurses once per nesting level.
    package static func compose(checking data: [UInt8], file: String) throws(WorkflowLoadError) -> Document {
        let textProblem = data.withUnsafeBufferPointer { TextValidator.check($0) }
        if let textProblem { throw WorkflowLoadError(file: file, textProblem) }
        var document = try compose(String(decoding: data, as: UTF8.self), file: file)
        guard let root = document.root, !isEmpty(root) else {
            document.root = nil
            return document
        }
        let scan = DocumentScanner(file: file, renamedKeys: document.renamedKeys).scan(
            root, shape: document.shape, budget: DocumentScanner.budget(forTextOfSize: data.count), checkRepeatedKeys: false
        )
        if !scan.problems.isEmpty { throw WorkflowLoadError(problems: scan.problems) }
        return document
    }

    /// True for a document that holds nothing but an empty value (a file of comments).
    package static func isEmpty(_ root: Node) -> Bool {
        YAMLValue.isNull(root)
    }
}
