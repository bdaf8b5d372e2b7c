/// A run parameter a workflow declares under `params:`: set with `baton run FILE -p NAME=VALUE`,
/// read by steps as `$PARAMS_<NAME>` and by `when:` as `params.<name>`.
public struct WorkflowParameter: Sendable, Hashable, Codable {
    /// What values a parameter takes.
    public enum Kind: Sendable, Hashable, Codable {
        case string
        /// A decimal number, such as `3`, `-1.5` or `2e3`.
        case number
        /// `true` or `false`.
        case bool
        /// One of the listed words.
        case choice([String])

        /// The name `type:` gives it.
        public var name: String {
            switch self {
            case .string: "string"
            case .number: "number"
            case .bool: "bool"
            case .choice: "choice"
            }
        }
    }

    public var name: String
    public var kind: Kind
    /// The value when none is given; nil when the parameter has none.
    public var defaultValue: String?
    public var description: String?
    /// Whether a run must be given a value (a default counts as one).
    public var required: Bool
    /// Whether the value is kept out of the journal, the console and the logs.
    public var secret: Bool

    public init(
        name: String, kind: Kind = .string, defaultValue: String? = nil, description: String? = nil,
        required: Bool = false, secret: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.description = description
        self.required = required
        self.secret = secret
    }

    /// The environment variable a step reads the parameter from: `PARAMS_` and the name,
    /// upper-cased, with every character other than a letter or digit made `_`.
    public var environmentName: String {
        "PARAMS_" + String(name.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// What is wrong with `value` for this parameter, in words; nil when it fits.
    public func problem(with value: String) -> String? {
        switch kind {
        case .string:
            return nil
        case .number:
            return Self.isDecimalNumber(value) ? nil : "'\(value)' is not a number"
        case .bool:
            return value == "true" || value == "false" ? nil : "'\(value)' is not true or false"
        case .choice(let choices):
            guard !choices.contains(value) else { return nil }
            let listed = choices.map { "'\($0)'" }.joined(separator: ", ")
            return "'\(value)' is not one of \(listed)" + Suggestion.hint(for: value, among: choices)
        }
    }

    /// Whether `text` is a decimal number as JSON writes one: an optional `-`, digits, an
    /// optional fraction and an optional exponent (no `+`, hex, `inf` or spaces).
    static func isDecimalNumber(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" { rest = rest.dropFirst() }
        func digits() -> Bool {
            let count = rest.prefix { $0.isASCII && $0.isNumber }.count
            rest = rest.dropFirst(count)
            return count > 0
        }
        guard digits() else { return false }
        if rest.first == "." {
            rest = rest.dropFirst()
            guard digits() else { return false }
        }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
            guard digits() else { return false }
        }
        return rest.isEmpty
    }

    /// Whether `name` is a parameter name: a letter or `_`, then letters, digits, `_` and `-`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCIILetter || first == "_" else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }
}

private extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
