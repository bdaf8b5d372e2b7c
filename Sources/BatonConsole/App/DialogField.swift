import BatonEngine

/// A value a dialog asks for besides its comment: one of an approval gate's `approval.inputs`.
public struct DialogField: Sendable, Hashable {
    /// The input it fills, for its name, type and default.
    public var input: WorkflowParameter
    /// What is typed, with its cursor; it starts as the input's default, the cursor at its end.
    public var editor: LineEditor

    public init(_ input: WorkflowParameter) {
        self.input = input
        let initial = input.defaultValue ?? ""
        // A default longer than what may be typed is still kept whole.
        editor = LineEditor(initial, limit: max(500, initial.count))
    }

    /// The value typed.
    public var value: String { editor.text }

    /// The field's label: the name and what it takes ("version (required)", "channel: stable|beta").
    public var label: String {
        var label = input.name
        switch input.kind {
        case .string: break
        case .number: label += " (number)"
        case .bool: label += " (true|false)"
        case .choice(let choices): label += " (" + choices.joined(separator: "|") + ")"
        }
        if input.required && input.defaultValue == nil { label += " *" }
        return label
    }

    /// What is wrong with the value, in words; nil when it may be sent.
    public var problem: String? {
        if value.isEmpty { return input.required && input.defaultValue == nil ? "\(input.name): a value is required" : nil }
        return input.problem(with: value).map { "\(input.name): \($0)" }
    }
}
