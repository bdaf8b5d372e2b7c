import BatonEngine
import BatonTerminal

/// Untrusted text — step output, outputs, reasons — made safe to draw: every escape
/// sequence, control character and invisible direction change is shown as a visible escape.
///
/// A step can print anything: colour and cursor sequences, a new window title or clipboard
/// contents (OSC 0 and OSC 52), a switch to the alternate screen, NUL bytes, bytes that are
/// not UTF-8. None of it may reach the terminal as it is, and none of it may be hidden from
/// the operator either, so each is written out in one notation, close to C's and Swift's:
///
/// | what                                                 | shown as                          |
/// |------------------------------------------------------|-----------------------------------|
/// | ESC, which starts CSI, OSC, DCS and the rest          | `\e` (so `\e[31m`, `\e]0;title\a`) |
/// | NUL, BEL, backspace, LF, VT, FF, CR                  | `\0` `\a` `\b` `\n` `\v` `\f` `\r` |
/// | the other C0 controls and DEL                         | `\x01` … `\x1F`, `\x7F`           |
/// | a byte that is not valid UTF-8                        | `\x80` … `\xFF`                   |
/// | C1 controls U+0080–U+009F (8-bit CSI is `\u{9B}`)      | `\u{80}` … `\u{9F}`               |
/// | bidi controls, line and paragraph separators, U+FFFD  | `\u{202E}`, `\u{2028}`, `\u{FFFD}` |
/// | tab                                                   | spaces to the next multiple of 8  |
///
/// So `\x` always stands for one byte and `\u{…}` for one Unicode character. Bytes that are
/// not UTF-8 are known only where the raw bytes are (`OutputLine.raw`); elsewhere they have
/// already become U+FFFD, which is shown as `\u{FFFD}`. Everything else, backslashes
/// included, is kept as it is.
///
/// At most `displayLimit` characters of a line are kept; the rest is dropped and counted in
/// a marker, `… (1040384 more bytes)`, so an enormous line costs a frame no more than a long
/// one. (The log file on disk has all of it.) Text that needs nothing is returned as it is,
/// without a copy.
public enum VisibleText {
    /// How many characters of one line are kept for display.
    public static let displayLimit = 8 * 1024

    /// A line of step output as it is shown: from its raw bytes when it has them, so bytes
    /// that are not UTF-8 show as `\xNN`.
    public static func escape(_ line: OutputLine, limit: Int = displayLimit) -> String {
        if let raw = line.raw { return escape(bytes: raw, limit: limit) }
        return escape(line.text, limit: limit)
    }

    /// `text` with everything that could drive the terminal or hide text shown as an escape.
    public static func escape(_ text: String, limit: Int = displayLimit) -> String {
        if isSafe(text, limit: limit) { return text }
        var builder = Builder(limit: limit)
        var consumed = 0
        for scalar in text.unicodeScalars {
            if builder.isFull { break }
            builder.append(scalar)
            consumed += UTF8.width(scalar)
        }
        return builder.finish(remainingBytes: text.utf8.count - consumed)
    }

    /// Bytes that may not be UTF-8, decoded with each byte of a bad sequence shown as `\xNN`.
    public static func escape(bytes: [UInt8], limit: Int = displayLimit) -> String {
        bytes.withUnsafeBufferPointer { bytes in
            var builder = Builder(limit: limit)
            var index = 0
            while index < bytes.count, !builder.isFull {
                if let (scalar, length) = decodeScalar(bytes, at: index) {
                    builder.append(scalar)
                    index += length
                } else {
                    builder.appendByte(bytes[index])
                    index += 1
                }
            }
            return builder.finish(remainingBytes: bytes.count - index)
        }
    }

    /// Whether a character must be shown as an escape (tabs aside, which become spaces).
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00..<0x20, 0x7F...0x9F,
             0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069,
             0x2028, 0x2029, 0xFFFD:
            return true
        default:
            return false
        }
    }

    /// Whether `text` can be shown as it is: short enough, nothing to escape, no tab.
    private static func isSafe(_ text: String, limit: Int) -> Bool {
        guard text.utf8.count <= limit else { return false }
        // Most output is printable ASCII: check its bytes before looking at characters.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return true }
        return !text.unicodeScalars.contains { needsEscape($0) }
    }

    /// The scalar whose UTF-8 starts at `index` and its length in bytes, or nil if the bytes
    /// there are not a valid (shortest-form, non-surrogate) sequence.
    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length: Int
        var value: UInt32
        // The range the second byte must be in: it rules out overlong forms, surrogates and
        // values above U+10FFFF.
        var second: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0: length = 3; value = UInt32(lead & 0x0F); second = 0xA0...0xBF
        case 0xED: length = 3; value = UInt32(lead & 0x0F); second = 0x80...0x9F
        case 0xE1...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0: length = 4; value = UInt32(lead & 0x07); second = 0x90...0xBF
        case 0xF4: length = 4; value = UInt32(lead & 0x07); second = 0x80...0x8F
        case 0xF1...0xF3: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.count, second.contains(bytes[index + 1]) else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// Builds the escaped text, counting characters against the limit and columns for tabs.
    private struct Builder {
        let limit: Int
        var output = ""
        /// Characters written so far.
        var count = 0
        /// The display column reached, for tab stops.
        var column = 0

        init(limit: Int) {
            self.limit = limit
            output.reserveCapacity(min(limit, 256))
        }

        var isFull: Bool { count >= limit }

        mutating func append(_ scalar: Unicode.Scalar) {
            switch scalar.value {
            case 0x09:
                let spaces = 8 - column % 8
                output.append(String(repeating: " ", count: spaces))
                count += spaces
                column += spaces
            case 0x00: escape("\\0")
            case 0x07: escape("\\a")
            case 0x08: escape("\\b")
            case 0x0A: escape("\\n")
            case 0x0B: escape("\\v")
            case 0x0C: escape("\\f")
            case 0x0D: escape("\\r")
            case 0x1B: escape("\\e")
            case 0x00..<0x20, 0x7F: appendByte(UInt8(scalar.value))
            case _ where VisibleText.needsEscape(scalar):
                escape("\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}")
            default:
                output.unicodeScalars.append(scalar)
                count += 1
                column += scalar.value < 0x300 ? 1 : TextWidth.of(scalar)
            }
        }

        /// One byte as `\xNN`: a control character, or a byte that is not UTF-8.
        mutating func appendByte(_ byte: UInt8) {
            let digits = String(byte, radix: 16, uppercase: true)
            escape("\\x" + (digits.count == 1 ? "0" : "") + digits)
        }

        private mutating func escape(_ text: String) {
            output.append(text)
            count += text.utf8.count
            column += text.utf8.count
        }

        /// The text, with the marker for what was dropped, if anything was.
        func finish(remainingBytes: Int) -> String {
            guard remainingBytes > 0 else { return output }
            return output + " … (\(remainingBytes) more byte\(remainingBytes == 1 ? "" : "s"))"
        }
    }
}
