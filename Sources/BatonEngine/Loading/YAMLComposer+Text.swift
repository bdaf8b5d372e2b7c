import Yams

extension YAMLComposer {
    /// The node tree of the UTF-8 bytes of a YAML file that is not a workflow (the console's
    /// config file): the workflow loader's byte checks, composing and `file:line:column`
    /// problems, so every YAML file Baton reads reports alike.
    ///
    /// Call it on a thread with a large stack (`LargeStackThread`): composing recurses once
    /// per nesting level.
    package static func compose(checking data: [UInt8], file: String) throws(WorkflowLoadError) -> Document {
        let textProblem = data.withUnsafeBufferPointer { TextValidator.check($0) }
        if let textProblem { throw WorkflowLoadError(file: file, textProblem) }
        return try compose(String(decoding: data, as: UTF8.self), file: file)
    }

    /// True for a document that holds nothing but an empty value (a file of comments).
    package static func isEmpty(_ root: Node) -> Bool {
        WorkflowLoader.isEmptyDocument(root)
    }
}
