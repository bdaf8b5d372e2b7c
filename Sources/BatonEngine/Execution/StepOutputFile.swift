#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file a step writes its outputs to (its path is in `$BATON_OUTPUT`).
///
/// Lines end with LF or CR LF. Each line is one of:
/// - `key=value`: the value is everything after the first `=`, kept as written, spaces included;
/// - `key<<DELIMITER`, then the value's lines, then a line that is exactly `DELIMITER`: a value
///   of several lines, joined with LF, without a final newline (the form of GitHub's
///   `$GITHUB_OUTPUT`; whichever of `=` and `<<` comes first decides the form);
/// - blank, or a comment whose first non-blank character is `#`.
///
/// A key starts with a letter or `_`, then holds letters, digits, `_`, `-` and `.`. When a key
/// is set twice, the last value wins. Anything else is a `StepOutputError`, and the step's
/// outputs are not taken: a line of no known form, a multi-line value never closed, two keys
/// that would be the same environment variable, a file over 1 MiB or one that cannot be read.
public enum StepOutputFile {
    /// The largest file that is read; a bigger one is an error, not parsed.
    public static let maximumSize = 1 << 20

    /// How many characters of a bad line a message shows; a line can be up to 1 MiB long.
    static let shownLineLength = 80

    /// The outputs in `text`, written by step `step` (which names the variables in a message).
    public static func parse(_ text: String, step: String) throws(StepOutputError) -> [String: String] {
        // "\r\n" is one Character in Swift, so split on both.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        var outputs: [String: String] = [:]
        // Keys in the order they first appear, and the line that last set each: a clash of two
        // keys is reported the same way every time, naming where they were written.
        var order: [String] = []
        var setAt: [String: Int] = [:]
        var index = 0
        while index < lines.count {
            let number = index + 1
            let line = withoutCarriageReturn(lines[index])
            index += 1
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.first == "#" { continue }

            let key: Substring
            let value: String
            let separator = firstSeparator(in: line)
            if let (heredoc, isBlock) = separator, isBlock {
                key = line[..<heredoc]
                let delimiter = line[line.index(heredoc, offsetBy: 2)...]
                if let problem = keyProblem(key) {
                    throw StepOutputError(line: number, "line \(number) is not key<<DELIMITER (\(problem)): \(quoted(line))")
                }
                if delimiter.isEmpty {
                    throw StepOutputError(line: number, "line \(number) is not key<<DELIMITER (nothing follows '<<'): \(quoted(line))")
                }
                var valueLines: [Substring] = []
                var closed = false
                while index < lines.count {
                    let next = withoutCarriageReturn(lines[index])
                    index += 1
                    if next == delimiter {
                        closed = true
                        break
                    }
                    valueLines.append(next)
                }
                guard closed else {
                    throw StepOutputError(
                        line: number,
                        "line \(number) begins a multi-line value of '\(key)' with \(quoted(line)), but no line \(quoted(delimiter)) ends it")
                }
                value = valueLines.joined(separator: "\n")
            } else if let (equals, _) = separator {
                key = line[..<equals]
                if let problem = keyProblem(key) {
                    throw StepOutputError(line: number, "line \(number) is not key=value (\(problem)): \(quoted(line))")
                }
                value = String(line[line.index(after: equals)...])
            } else {
                throw StepOutputError(line: number, "line \(number) is not key=value: \(quoted(line))")
            }
            let name = String(key)
            if outputs.updateValue(value, forKey: name) == nil { order.append(name) }
            setAt[name] = number
        }
        try checkVariables(order, step: step, setAt: setAt)
        return outputs
    }

    /// The outputs in the file at `path`, written by step `step`; a missing file means none.
    public static func read(path: String, step: String) throws(StepOutputError) -> [String: String] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return [:] }
            throw StepOutputError("could not be read: \(ProcessLibc.describe(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw StepOutputError("could not be read: \(ProcessLibc.describe(errno))")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw StepOutputError("is a directory")
        }
        if Int(info.st_size) > maximumSize {
            throw StepOutputError("is \(info.st_size) bytes, more than the 1 MiB limit")
        }
        // Read at most one byte past the limit, in case the file grew after fstat.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= maximumSize {
            let count = chunk.withUnsafeMutableBytes { readDescriptor(fd, $0) }
            if count < 0 {
                if errno == EINTR { continue }
                throw StepOutputError("could not be read: \(ProcessLibc.describe(errno))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return try parse(bytes: bytes, step: step)
    }

    /// The outputs in `bytes`, the whole of such a file as it came back from wherever the step ran.
    public static func parse(bytes: [UInt8], step: String) throws(StepOutputError) -> [String: String] {
        if bytes.count > maximumSize {
            throw StepOutputError("is more than the 1 MiB limit")
        }
        return try parse(String(decoding: bytes, as: UTF8.self), step: step)
    }

    /// Whether `key` can name an output: a letter or `_`, then letters, digits, `_`, `-` and `.`.
    public static func isValidKey(_ key: Substring) -> Bool {
        keyProblem(key) == nil
    }

    /// The environment variable that carries output `key` of `step` to its dependents:
    /// `STEPS_<STEP>_OUTPUTS_<KEY>`, upper-cased, with every character other than a letter or
    /// a digit made `_`.
    public static func variableName(step: String, key: String) -> String {
        "STEPS_\(variablePart(step))_OUTPUTS_\(variablePart(key))"
    }

    /// `text` as it stands in a variable name.
    private static func variablePart(_ text: String) -> String {
        String(text.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// Fails when two different keys would arrive as the same variable (`my-key` and `my_key`,
    /// `Version` and `version`): one would silently hide the other.
    private static func checkVariables(_ keys: [String], step: String, setAt: [String: Int]) throws(StepOutputError) {
        guard keys.count > 1 else { return }
        var owners: [String: String] = [:]
        for key in keys {
            let part = variablePart(key)
            if let earlier = owners[part] {
                let (first, second) = (setAt[earlier] ?? 0, setAt[key] ?? 0)
                throw StepOutputError(
                    line: max(first, second),
                    "sets '\(earlier)' (line \(first)) and '\(key)' (line \(second)), which would both be $\(variableName(step: step, key: key)); rename one")
            }
            owners[part] = key
        }
    }

    /// Why `key` cannot name an output, in a few words; nil if it can.
    static func keyProblem(_ key: Substring) -> String? {
        guard let first = key.utf8.first else { return "nothing comes before it" }
        if key.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 }) {
            // `key = value` is the likely slip: say so rather than that blanks are not allowed.
            let isBlank = { (character: Character) in character == " " || character == "\t" }
            var trimmed = key.drop(while: isBlank)
            while let last = trimmed.last, isBlank(last) { trimmed = trimmed.dropLast() }
            if !trimmed.isEmpty, !trimmed.contains(where: isBlank), keyProblem(trimmed) == nil {
                return "the key \(quoted(key, limit: 40)) has blanks around it; write it with none"
            }
            return "the key \(quoted(key, limit: 40)) holds a blank"
        }
        let isLetter = { (byte: UInt8) in (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F }
        guard isLetter(first) else {
            return "the key \(quoted(key, limit: 40)) does not start with a letter or '_'"
        }
        for byte in key.utf8.dropFirst() {
            let digit = byte >= 0x30 && byte <= 0x39
            if !(isLetter(byte) || digit || byte == 0x2D || byte == 0x2E) {
                return "the key \(quoted(key, limit: 40)) holds a character other than letters, digits, '_', '-' and '.'"
            }
        }
        return nil
    }

    /// Where the first `=` or `<<` of `line` is, and whether it is `<<`: whichever comes
    /// first decides the line's form, so one pass up to it is enough.
    private static func firstSeparator(in line: Substring) -> (Substring.Index, isBlock: Bool)? {
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if character == "=" { return (index, false) }
            let next = line.index(after: index)
            if character == "<", next < line.endIndex, line[next] == "<" { return (index, true) }
            index = next
        }
        return nil
    }

    private static func withoutCarriageReturn(_ line: Substring) -> Substring {
        line.last == "\r" ? line.dropLast() : line
    }

    /// `text` in double quotes, cut to `limit` characters, with quotes, backslashes and every
    /// character that could drive a terminal or hide text escaped: the step wrote it, and the
    /// message is shown in the console and the journal.
    static func quoted<Text: StringProtocol>(_ text: Text, limit: Int = shownLineLength) -> String {
        var result = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit {
                result += "…"
                break
            }
            count += 1
            switch scalar.value {
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0x09: result += "\\t"
            case 0x0D: result += "\\r"
            case 0x00..<0x20, 0x7F...0x9F, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// `read(2)`, under a name the enum's own `read(path:step:)` does not shadow.
private func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(fd, buffer.baseAddress, buffer.count)
}
