/// The keys one mapping of the workflow format may have: what the decoder reads, what its
/// unknown-key problems list, and what `WorkflowSchema` describes, so the three cannot drift.
///
/// A key the decoder reads is refused as unknown unless its table lists it; a table lists its
/// own fields and those of the tables it includes (a step's keys include the fan-out's).
package struct WorkflowFieldTable: Sendable {
    /// The table's name in the schema's `$defs`.
    package var name: String
    /// The heading of the section of docs/workflow-format.md whose first table describes `fields`.
    package var docSection: String
    /// The fields described in `docSection`, in the doc's order.
    package var fields: [WorkflowField]
    /// Tables whose fields this mapping takes too, described in their own sections.
    package var included: [WorkflowFieldTable]
    /// Keys that need another key in the same mapping (`with` needs `uses`).
    package var needing: [String: [String]]
    /// Keys of which a mapping may have one at most (`matrix` or `for_each`).
    package var exclusive: [[String]]
    /// A key that allows only the listed keys beside it (`uses`: a call has no command).
    package var limiting: [String: [String]]
    /// Every key, own and included, in order: the list unknown-key problems give.
    package let names: [String]
    private let nameSet: Set<String>

    package init(
        name: String, docSection: String, fields: [WorkflowField], including included: [WorkflowFieldTable] = [],
        needing: [String: [String]] = [:], exclusive: [[String]] = [], limiting: [String: [String]] = [:]
    ) {
        self.name = name
        self.docSection = docSection
        self.fields = fields
        self.included = included
        self.needing = needing
        self.exclusive = exclusive
        self.limiting = limiting
        names = fields.map(\.name) + included.flatMap(\.names)
        nameSet = Set(names)
    }

    /// Whether the mapping may have `key`.
    package func contains(_ key: String) -> Bool { nameSet.contains(key) }

    /// Every field, own and included, in order.
    package var allFields: [WorkflowField] { fields + included.flatMap(\.allFields) }
}
