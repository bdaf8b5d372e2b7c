import Yams

/// A step's `uses:` and `with:` as read from the file; `WorkflowAssembler` loads the called
/// file and checks `with:` against its parameters.
struct DecodedCall {
    /// The path as written, relative to the file that names it.
    var path: String
    /// The value of `uses:`, where problems with the called file point.
    var pathNode: Node
    /// The value of `with:`, nil when the step gives no values.
    var withNode: Node?
    /// The `with:` key, where a missing required value is reported.
    var withKeyNode: Node?
    /// The called workflow, once it loaded.
    var callee: AssembledWorkflow?
    /// Where each of its parameters takes its value from, once `with:` checked out.
    var arguments: [String: WorkflowCall.Argument] = [:]
}
