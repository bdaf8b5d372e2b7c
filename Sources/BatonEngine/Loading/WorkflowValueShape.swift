/// What the loader accepts as the value of one key of the workflow format, as the JSON Schema
/// (`WorkflowSchema`) describes it: a YAML value as an editor reads it (YAML 1.2's core
/// schema, so `3` is a number and `"3"` a string) that the decoder reads without a problem of
/// its shape. What the decoder checks beyond the shape (references, cycles, conditions, values
/// that depend on each other) is not described.
package indirect enum WorkflowValueShape: Sendable {
    /// One value, read as text: a string, a number or `true`/`false` (`name: 3` is the text `3`).
    case text
    /// Text that names something, by the rule of `pattern`.
    case name(WorkflowNamePattern)
    /// `true` or `false`, also quoted and in the capitalised spellings YAML 1.2 allows.
    case flag
    /// A whole number in `minimum...maximum` (no maximum when nil); also quoted, as digits.
    case wholeNumber(minimum: Int, maximum: Int? = nil)
    /// A plain number in `minimum...maximum`, such as `1.5`.
    case number(minimum: Double, maximum: Double? = nil)
    /// A duration (`DurationParser`), with `0` allowed only when `allowsZero`.
    case duration(allowsZero: Bool)
    /// One of the words.
    case oneOf([String])
    /// A list of items; with `orSingle`, one item alone is a list of one.
    case list(WorkflowValueShape, orSingle: Bool = false, minimumCount: Int = 0, unique: Bool = false)
    /// A mapping with the keys of a field table, and no other.
    case mapping(WorkflowFieldTable)
    /// A mapping from names, by the rule of `keys`, to values of one shape.
    case namedMapping(keys: WorkflowNamePattern, values: WorkflowValueShape, minimumCount: Int = 0)
    /// Any of the shapes.
    case either([WorkflowValueShape])
    /// The shape, or an empty value (nothing after the colon, `~` or `null`), which counts as not given.
    case orEmpty(WorkflowValueShape)
    /// `matrix:`, a mapping of keys to lists of values, with `include` and `exclude` rules.
    case matrix
    /// `for_each:`, a list of items, or one step's output that holds them (`${{ steps.list.outputs.hosts }}`).
    case fanOutItems
    /// `batch:`, a whole number of 1 or more, or a percentage from 1% to 100%.
    case batch
}
