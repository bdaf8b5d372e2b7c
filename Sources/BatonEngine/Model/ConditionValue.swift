/// A value inside a `when:` expression, with the truthiness rule of `when:`.
///
/// Outputs, states, parameters, literals and the results of operators are strings, as they
/// always were; only `fromJSON` makes the other kinds. Every value has a text form (``text``),
/// which is what `==`, `!=`, the string functions and `format` compare and write, so a
/// condition that only ever sees strings behaves exactly as it did before values had kinds.
public enum ConditionValue: Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([ConditionValue])
    /// A JSON object; its keys are written sorted, so equal objects have equal text.
    case object([String: ConditionValue])

    /// The string `text`.
    public init(_ text: String) { self = .string(text) }

    /// The string `"true"` or `"false"`: what comparisons and `&&`, `||`, `!` give.
    public init(bool: Bool) { self = .string(bool ? "true" : "false") }

    /// The value as a string: strings as they are, numbers in their shortest form (`3`, `2.5`),
    /// `true` and `false`, `""` for null, and arrays and objects as compact JSON.
    public var text: String {
        switch self {
        case .string(let text): return text
        case .number(let number): return Self.format(number)
        case .bool(let bool): return bool ? "true" : "false"
        case .null: return ""
        case .array, .object: return json
        }
    }

    /// False for `""`, `"false"` and `"0"`, for `false`, `0`, and null; true otherwise,
    /// arrays and objects included, even empty ones.
    public var isTruthy: Bool {
        switch self {
        case .string(let text): return !(text.isEmpty || text == "false" || text == "0")
        case .number(let number): return number != 0 && !number.isNaN
        case .bool(let bool): return bool
        case .null: return false
        case .array, .object: return true
        }
    }

    /// The value as a number, for `<`, `<=`, `>` and `>=`: a number, or a string that is a
    /// decimal number such as `42`, `-1.5`, `007` or `2e3` (JSON's number syntax with leading
    /// zeros allowed, nothing around it); nil for anything else, `true`, `""` and `" 42"` included.
    public var number: Double? {
        switch self {
        case .number(let number): return number
        case .string(let text): return ConditionJSONReader.number(text)
        default: return nil
        }
    }

    /// Writes a number as JSON does: integers without a fraction, others in Swift's shortest
    /// form that reads back as the same number.
    static func format(_ number: Double) -> String {
        if number == number.rounded(), abs(number) < 1e15 {
            // `-0` is written `0`: JSON readers and people both read it as zero.
            return String(Int64(number))
        }
        return "\(number)"
    }
}
