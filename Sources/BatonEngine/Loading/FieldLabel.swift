/// How a field is named in problem messages, such as `'retry.attempts' in step 'build'`.
///
/// The text is only put together when a message needs it, keeping valid files fast to load.
struct FieldLabel: CustomStringConvertible {
    var key: String
    /// The enclosing key for nested fields, such as `retry`.
    var parent: String?
    /// The step the field belongs to, if any.
    var step: String?

    init(_ key: String, parent: String? = nil, step: String? = nil) {
        self.key = key
        self.parent = parent
        self.step = step
    }

    var description: String {
        let path = parent.map { "\($0).\(key)" } ?? key
        return step.map { "'\(path)' in step '\($0)'" } ?? "'\(path)'"
    }
}
