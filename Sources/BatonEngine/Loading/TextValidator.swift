/// Checks that a file's bytes are UTF-8 text that YAML can read, before any parsing.
///
/// Lines and columns are counted as the YAML parser counts them: columns in Unicode scalars,
/// and line breaks at LF, CR, CR LF, NEL, LS and PS.
enum TextValidator {
    /// What is wrong with the bytes, and where; nil for acceptable text.
    struct Problem: Sendable, Hashable {
        var message: String
        var location: SourceLocation
    }

    /// The first reason `bytes` is not acceptable text, if any.
    static func check(_ bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
        let count = bytes.count
        var index = 0
        var line = 1
        var column = 1
        // A byte-order mark at the very start is allowed and takes no column.
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        while index < count {
            let byte = bytes[index]
            if byte < 0x80 {
                switch byte {
                case 0x0A:
                    line += 1
                    column = 1
                    index += 1
                case 0x0D:
                    index += (index + 1 < count && bytes[index + 1] == 0x0A) ? 2 : 1
                    line += 1
                    column = 1
                case 0x09, 0x20...0x7E:
                    column += 1
                    index += 1
                default:
                    return Problem(
                        message: "not a text file: byte 0x\(hex(UInt32(byte), digits: 2)) at line \(line), column \(column)",
                        location: SourceLocation(line: line, column: column)
                    )
                }
                continue
            }
            guard let (scalar, length) = decode(bytes, at: index) else {
                return Problem(
                    message: "not valid UTF-8 at line \(line), column \(column)",
                    location: SourceLocation(line: line, column: column)
                )
            }
            index += length
            switch scalar {
            case 0x85, 0x2028, 0x2029:
                line += 1
                column = 1
            case 0x80...0x9F, 0xFFFE, 0xFFFF:
                return Problem(
                    message: "not a text file: character U+\(hex(scalar, digits: 4)) at line \(line), column \(column)",
                    location: SourceLocation(line: line, column: column)
                )
            default:
                column += 1
            }
        }
        return nil
    }

    /// Decodes the multi-byte UTF-8 sequence at `index`, rejecting overlong forms, surrogates
    /// and values past U+10FFFF.
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int)? {
        let lead = bytes[index]
        let length: Int
        let minimum: UInt32
        var value: UInt32
        switch lead {
        case 0xC2...0xDF:
            length = 2
            minimum = 0x80
            value = UInt32(lead & 0x1F)
        case 0xE0...0xEF:
            length = 3
            minimum = 0x800
            value = UInt32(lead & 0x0F)
        case 0xF0...0xF4:
            length = 4
            minimum = 0x10000
            value = UInt32(lead & 0x07)
        default:
            return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            guard continuation & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(continuation & 0x3F)
        }
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return nil }
        return (value, length)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
