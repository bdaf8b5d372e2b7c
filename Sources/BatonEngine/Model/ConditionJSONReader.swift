/// Reads JSON text into a ``ConditionValue``, for `fromJSON`.
///
/// A reader of its own rather than Foundation's: its errors name the character where the text
/// stops being JSON, numbers and booleans can never be confused, and nesting is capped so a
/// hostile output cannot exhaust the stack.
struct ConditionJSONReader {
    /// The deepest arrays and objects may nest.
    static let maximumDepth = 100

    /// What is wrong with the text, and at which 0-based character.
    struct Failure: Error {
        var offset: Int
        var message: String
    }

    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var depth = 0

    private init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// The value `text` holds: one JSON value, with nothing but spaces around it.
    static func read(_ text: String) throws(Failure) -> ConditionValue {
        var reader = ConditionJSONReader(text)
        reader.skipSpace()
        let value = try reader.value()
        reader.skipSpace()
        guard reader.index == reader.scalars.count else {
            throw Failure(offset: reader.index, message: "unexpected \(reader.describeCurrent()) after the value")
        }
        return value
    }

    /// `text` as a number if all of it is a decimal number: JSON's syntax, but leading zeros
    /// are allowed (`007`), since outputs such as versions and times have them.
    static func number(_ text: String) -> Double? {
        var reader = ConditionJSONReader(text)
        guard let number = reader.scanNumber(allowingLeadingZeros: true), reader.index == reader.scalars.count else { return nil }
        return number
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func skipSpace() {
        while let scalar = current, scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" { index += 1 }
    }

    private func describeCurrent() -> String {
        guard let scalar = current else { return "end of the text" }
        return "'\(Character(scalar))'"
    }

    private func failure(_ message: String) -> Failure {
        Failure(offset: index, message: message)
    }

    private mutating func value() throws(Failure) -> ConditionValue {
        guard let scalar = current else { throw failure("expected a value, found the end of the text") }
        switch scalar {
        case "{": return try object()
        case "[": return try array()
        case "\"": return .string(try string())
        case "t": return try word("true", .bool(true))
        case "f": return try word("false", .bool(false))
        case "n": return try word("null", .null)
        case "-", "0"..."9":
            let start = index
            guard let number = scanNumber(allowingLeadingZeros: false) else {
                index = start
                throw failure("'\(String(String.UnicodeScalarView(scalars[start..<min(start + 20, scalars.count)])))' is not a JSON number")
            }
            return .number(number)
        default:
            throw failure("expected a value, found \(describeCurrent())")
        }
    }

    private mutating func word(_ word: String, _ value: ConditionValue) throws(Failure) -> ConditionValue {
        for expected in word.unicodeScalars {
            guard current == expected else { throw failure("expected '\(word)'") }
            index += 1
        }
        return value
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > Self.maximumDepth { throw failure("nested more than \(Self.maximumDepth) levels deep") }
    }

    private mutating func array() throws(Failure) -> ConditionValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [ConditionValue] = []
        skipSpace()
        if current == "]" {
            index += 1
            return .array(elements)
        }
        while true {
            skipSpace()
            elements.append(try value())
            skipSpace()
            switch current {
            case ",": index += 1
            case "]":
                index += 1
                return .array(elements)
            default: throw failure("expected ',' or ']' in an array, found \(describeCurrent())")
            }
        }
    }

    private mutating func object() throws(Failure) -> ConditionValue {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [String: ConditionValue] = [:]
        skipSpace()
        if current == "}" {
            index += 1
            return .object(members)
        }
        while true {
            skipSpace()
            guard current == "\"" else { throw failure("expected a key in double quotes, found \(describeCurrent())") }
            let key = try string()
            skipSpace()
            guard current == ":" else { throw failure("expected ':' after the key \"\(key)\", found \(describeCurrent())") }
            index += 1
            skipSpace()
            members[key] = try value()
            skipSpace()
            switch current {
            case ",": index += 1
            case "}":
                index += 1
                return .object(members)
            default: throw failure("expected ',' or '}' in an object, found \(describeCurrent())")
            }
        }
    }

    private mutating func string() throws(Failure) -> String {
        let start = index
        index += 1
        var text = String.UnicodeScalarView()
        while let scalar = current {
            index += 1
            switch scalar {
            case "\"":
                return String(text)
            case "\\":
                text.append(try escape())
            case "\u{00}"..."\u{1F}":
                index -= 1
                throw failure("a control character must be escaped inside a string")
            default:
                text.append(scalar)
            }
        }
        index = start
        throw failure("unterminated string")
    }

    /// The character a backslash escape stands for; `index` is just past the backslash.
    private mutating func escape() throws(Failure) -> Unicode.Scalar {
        guard let scalar = current else { throw failure("unterminated string") }
        index += 1
        switch scalar {
        case "\"", "\\", "/": return scalar
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "n": return "\n"
        case "r": return "\r"
        case "t": return "\t"
        case "u":
            let high = try hexQuad()
            if (0xD800...0xDBFF).contains(high) {
                // A character outside the basic plane is written as a surrogate pair.
                guard current == "\\", index + 1 < scalars.count, scalars[index + 1] == "u" else {
                    throw failure("a \\u\(String(high, radix: 16)) high surrogate must be followed by a low one")
                }
                index += 2
                let low = try hexQuad()
                guard (0xDC00...0xDFFF).contains(low),
                      let combined = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else {
                    throw failure("\\u\(String(low, radix: 16)) is not a low surrogate")
                }
                return combined
            }
            guard let decoded = Unicode.Scalar(high) else { throw failure("\\u\(String(high, radix: 16)) is a lone surrogate") }
            return decoded
        default:
            index -= 1
            throw failure("'\\\(Character(scalar))' is not a JSON escape")
        }
    }

    private mutating func hexQuad() throws(Failure) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            // ASCII only: `Character.hexDigitValue` would also take fullwidth digits.
            let digit: UInt32
            switch current {
            case let scalar? where ("0"..."9").contains(scalar): digit = scalar.value - 0x30
            case let scalar? where ("a"..."f").contains(scalar): digit = scalar.value - 0x61 + 10
            case let scalar? where ("A"..."F").contains(scalar): digit = scalar.value - 0x41 + 10
            default: throw failure("expected four hexadecimal digits after \\u")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    /// Reads `-?digits(.digits)?([eE][+-]?digits)?` at `index`; nil (with `index` anywhere)
    /// when the text there is not such a number or the number is too large for a Double.
    private mutating func scanNumber(allowingLeadingZeros: Bool) -> Double? {
        let start = index
        if current == "-" { index += 1 }
        let integerStart = index
        guard skipDigits() else { return nil }
        if !allowingLeadingZeros, scalars[integerStart] == "0", index - integerStart > 1 { return nil }
        if current == "." {
            index += 1
            guard skipDigits() else { return nil }
        }
        if current == "e" || current == "E" {
            index += 1
            if current == "+" || current == "-" { index += 1 }
            guard skipDigits() else { return nil }
        }
        guard let number = Double(String(String.UnicodeScalarView(scalars[start..<index]))), number.isFinite else { return nil }
        return number
    }

    /// Skips ASCII digits; false when there were none.
    private mutating func skipDigits() -> Bool {
        let start = index
        while let scalar = current, ("0"..."9").contains(scalar) { index += 1 }
        return index > start
    }
}
