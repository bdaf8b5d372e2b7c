#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file a step writes its outputs to (its path is in `$BATON_OUTPUT`).
///
/// Each line is `key=value`: the key matches `[A-Za-z_][A-Za-z0-9_]*`, the value is everything
/// after the first `=` (kept as written, spaces included). Blank lines and lines whose first
/// non-blank character is `#` are ignored. When a key appears twice, the last value wins.
public enum StepOutputFile {
    /// The largest file that is read; a bigger one is reported, not parsed.
    public static let maximumSize = 1 << 20

    /// The outputs in `text`; lines that are not valid `key=value` are skipped.
    public static func parse(_ text: String) -> [String: String] {
        parseReporting(text).outputs
    }

    /// The outputs in the file at `path`, and a sentence about anything wrong with it.
    ///
    /// A missing file means no outputs and no problem.
    public static func read(path: String) -> (outputs: [String: String], problem: String?) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return ([:], nil) }
            return ([:], "could not read the output file \(path): \(ProcessLibc.describe(code))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            return ([:], "could not read the output file \(path): \(ProcessLibc.describe(errno))")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            return ([:], "the output file \(path) is a directory")
        }
        if Int(info.st_size) > maximumSize {
            return ([:], "the output file \(path) is \(info.st_size) bytes, more than the 1 MiB limit; its outputs were ignored")
        }
        // Read at most one byte past the limit, in case the file grew after fstat.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= maximumSize {
            let count = chunk.withUnsafeMutableBytes { readDescriptor(fd, $0) }
            if count < 0 {
                if errno == EINTR { continue }
                return ([:], "could not read the output file \(path): \(ProcessLibc.describe(errno))")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        if bytes.count > maximumSize {
            return ([:], "the output file \(path) is more than the 1 MiB limit; its outputs were ignored")
        }
        let parsed = parseReporting(String(decoding: bytes, as: UTF8.self))
        guard !parsed.problems.isEmpty else { return (parsed.outputs, nil) }
        return (parsed.outputs, "the output file \(path) has lines that were ignored: " + parsed.problems.joined(separator: "; "))
    }

    /// The outputs in `text`, and one short sentence for each of (at most 5 of) the bad lines.
    static func parseReporting(_ text: String) -> (outputs: [String: String], problems: [String]) {
        var outputs: [String: String] = [:]
        var problems: [String] = []
        var badLines = 0
        var number = 0
        // "\r\n" is one Character in Swift, so split on both.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            guard let equals = line.firstIndex(of: "=") else {
                badLines += 1
                if problems.count < 5 { problems.append("line \(number) has no '='") }
                continue
            }
            let key = line[..<equals]
            guard isValidKey(key) else {
                badLines += 1
                if problems.count < 5 { problems.append("line \(number): '\(key.prefix(40))' is not a valid name") }
                continue
            }
            outputs[String(key)] = String(line[line.index(after: equals)...])
        }
        if badLines > problems.count {
            problems.append("and \(badLines - problems.count) more")
        }
        return (outputs, problems)
    }

    /// Whether `key` matches `[A-Za-z_][A-Za-z0-9_]*`.
    static func isValidKey(_ key: Substring) -> Bool {
        var first = true
        for byte in key.utf8 {
            let letter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
            let digit = byte >= 0x30 && byte <= 0x39
            if !(letter || (!first && digit)) { return false }
            first = false
        }
        return !first
    }
}

/// `read(2)`, under a name the enum's own `read(path:)` does not shadow.
private func readDescriptor(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Int {
    read(fd, buffer.baseAddress, buffer.count)
}
