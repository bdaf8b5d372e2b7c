/// One key of a mapping in the workflow format: its name, the shape of its value, and what it
/// means, as the format doc's table says it (`WorkflowSchemaTests` holds the two equal).
package struct WorkflowField: Sendable {
    package var name: String
    package var shape: WorkflowValueShape
    /// Whether the mapping must have the key.
    package var isRequired: Bool
    package var description: String

    /// A field whose value may also be empty (`key:`, `~`), which counts as not given, unless
    /// `mayBeEmpty` is false: then an empty value is a problem, as a missing `steps:` is.
    package init(_ name: String, _ shape: WorkflowValueShape, mayBeEmpty: Bool = true, required: Bool = false, _ description: String) {
        self.name = name
        self.shape = mayBeEmpty ? .orEmpty(shape) : shape
        self.isRequired = required
        self.description = description
    }
}
