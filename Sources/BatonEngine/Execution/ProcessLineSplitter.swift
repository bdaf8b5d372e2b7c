#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a byte stream into pieces of whole lines, for `OutputChunk`s.
///
/// Each piece `feed` emits ends with `\n`, and holds as many whole lines as the bytes read so
/// far complete; the bytes of an unfinished line wait for the next read. Bytes pass through
/// unchanged (a `\r` before `\n` included), and in the common case — a read of short lines —
/// the piece is the read itself, found with one backward scan and no work per line. A line
/// that grows past `maxLineBytes` without a newline is emitted in pieces of at most that size
/// (cut on a character boundary where possible; such a piece is the one that does not end with
/// `\n`), so one endless line cannot use unbounded memory. A cut never falls inside one of
/// the `keepWhole` texts (the run's secrets), nor right after the start of one that may go on
/// in bytes still to come: the piece ends before it instead, so masking each piece still finds
/// every secret whole. `finish` emits a last line that had no newline.
struct ProcessLineSplitter {
    static let defaultMaxLineBytes = 1 << 20

    let maxLineBytes: Int
    /// The texts a cut must not fall inside, as UTF-8; only those shorter than half a piece.
    private let keepWhole: [[UInt8]]
    /// Bytes not emitted yet: whole lines up to `lineStart`, then the start of a line.
    private var pending: [UInt8] = []
    private var lineStart = 0

    init(maxLineBytes: Int = ProcessLineSplitter.defaultMaxLineBytes, keepWhole: [String] = []) {
        precondition(maxLineBytes >= 4)
        self.maxLineBytes = maxLineBytes
        self.keepWhole = keepWhole.map { Array($0.utf8) }.filter { !$0.isEmpty && $0.count < maxLineBytes / 2 }
    }

    /// Called with each piece of output; the bytes are valid only during the call.
    typealias Emit = (_ piece: UnsafeRawBufferPointer) -> Void

    /// Splits `bytes`, calling `emit` with the lines they complete.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, emit: Emit) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var lastNewline = bytes.count - 1
        while lastNewline >= 0, bytes[lastNewline] != 0x0A { lastNewline -= 1 }
        // Fast path: no line in the bytes up to the last newline can be overlong, so they
        // make one piece as they are.
        if lastNewline >= 0, pending.count + lastNewline <= maxLineBytes {
            if pending.isEmpty {
                emit(UnsafeRawBufferPointer(rebasing: bytes[0...lastNewline]))
            } else {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0...lastNewline]))
                pending.withUnsafeBytes { emit($0) }
                pending.removeAll(keepingCapacity: pending.capacity <= 64 * 1024)
            }
            lineStart = 0
            if lastNewline + 1 < bytes.count {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[(lastNewline + 1)...]))
                emitOverflow(emit)
            }
            return
        }
        // Slow path, line by line, cutting lines that are too long.
        var start = 0
        while start < bytes.count {
            if let hit = memchr(base + start, 0x0A, bytes.count - start) {
                let newline = base.distance(to: UnsafeRawPointer(hit))
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...newline]))
                emitOverflow(emit)
                lineStart = pending.count
                start = newline + 1
            } else {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
                emitOverflow(emit)
                break
            }
        }
        if lineStart > 0 {
            pending.withUnsafeBytes { emit(UnsafeRawBufferPointer(rebasing: $0[0..<lineStart])) }
            pending.removeFirst(lineStart)
            lineStart = 0
        }
    }

    /// Emits the pending bytes up to cuts in the current line until that line (its newline
    /// aside) is no longer than `maxLineBytes`.
    private mutating func emitOverflow(_ emit: Emit) {
        while true {
            var length = pending.count - lineStart
            if pending.last == 0x0A { length -= 1 }
            guard length > maxLineBytes else { return }
            var cut = lineStart + maxLineBytes
            // Do not cut inside a UTF-8 sequence: back up over continuation bytes.
            while cut > lineStart + maxLineBytes - 3, pending[cut] & 0xC0 == 0x80 { cut -= 1 }
            cut = keepingWhole(cut)
            pending.withUnsafeBytes { emit(UnsafeRawBufferPointer(rebasing: $0[0..<cut])) }
            pending.removeFirst(cut)
            lineStart = 0
        }
    }

    /// `cut`, moved back to the start of any kept text that the piece would end inside, or
    /// that starts near its end with bytes that match as far as they go.
    private func keepingWhole(_ proposed: Int) -> Int {
        guard !keepWhole.isEmpty else { return proposed }
        var cut = proposed
        var moved = true
        while moved {
            moved = false
            for pattern in keepWhole {
                var start = max(lineStart, cut - pattern.count + 1)
                while start < cut {
                    if startsPattern(pattern, at: start) {
                        cut = start
                        moved = true
                        break
                    }
                    start += 1
                }
            }
        }
        return cut > lineStart ? cut : proposed
    }

    /// Whether the pending bytes from `start` match `pattern` as far as both go.
    private func startsPattern(_ pattern: [UInt8], at start: Int) -> Bool {
        let available = min(pattern.count, pending.count - start)
        for offset in 0..<available where pending[start + offset] != pattern[offset] { return false }
        return true
    }

    /// Emits what is left, a last line without a newline, if anything is.
    mutating func finish(emit: Emit) {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBytes { emit($0) }
        pending = []
        lineStart = 0
    }

    /// A line's text, and its bytes if they were not valid UTF-8; a `\r` at its end is left
    /// out of both (the log keeps it: this is the line as a front end shows it).
    ///
    /// Decoding with repair and then checking is cheaper than validating first: a repaired
    /// string either changed length or holds U+FFFD (bytes EF BF BD), so a line with neither
    /// was valid. Only a line holding U+FFFD is validated again, to tell a printed U+FFFD
    /// from a repaired one.
    static func decode(_ line: UnsafeRawBufferPointer) -> (String, [UInt8]?) {
        var line = line
        if let last = line.last, last == 0x0D {
            line = UnsafeRawBufferPointer(rebasing: line.dropLast())
        }
        let text = String(decoding: line, as: UTF8.self)
        var copy = text
        let repaired = text.utf8.count != line.count
            || copy.withUTF8 { $0.count > 0 && memchr($0.baseAddress!, 0xEF, $0.count) != nil }
        if repaired, String(validating: line, as: UTF8.self) == nil { return (text, Array(line)) }
        return (text, nil)
    }
}
