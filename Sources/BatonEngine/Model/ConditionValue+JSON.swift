extension ConditionValue {
    /// The value as compact JSON, for `toJSON` and for the text of arrays and objects.
    ///
    /// Object keys are sorted, so two equal objects always give the same text.
    public var json: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .string(let text):
            Self.writeString(text, into: &out)
        case .number(let number):
            out += Self.format(number)
        case .bool(let bool):
            out += bool ? "true" : "false"
        case .null:
            out += "null"
        case .array(let elements):
            out += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { out += "," }
                element.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (position, key) in members.keys.sorted().enumerated() {
                if position > 0 { out += "," }
                Self.writeString(key, into: &out)
                out += ":"
                members[key]?.write(into: &out)
            }
            out += "}"
        }
    }

    /// A JSON string, written as the journal writes its strings.
    private static func writeString(_ text: String, into out: inout String) {
        var bytes: [UInt8] = []
        RunEvent.appendJSONString(text, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }
}
