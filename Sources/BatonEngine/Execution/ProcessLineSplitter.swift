#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a byte stream into lines.
///
/// Lines end at `\n`; a `\r` right before it is dropped too. Bytes are decoded as UTF-8, with
/// invalid sequences replaced by U+FFFD; a line whose bytes were not valid UTF-8 is emitted
/// with those bytes too, so the log on disk can keep exactly what the step printed. (Valid
/// lines, the common case, cost no second copy.) A line that grows past `maxLineBytes`
/// without a newline is emitted in pieces of at most that size (cut on a character boundary
/// where possible), so one endless line cannot use unbounded memory. A cut never falls inside
/// one of the `keepWhole` texts (the run's secrets), nor right after the start of one that may
/// go on in bytes still to come: the piece ends before it instead, so masking each piece still
/// finds every secret whole. `finish` emits a last line that had no newline.
struct ProcessLineSplitter {
    static let defaultMaxLineBytes = 1 << 20

    let maxLineBytes: Int
    /// The texts a cut must not fall inside, as UTF-8; only those shorter than half a piece.
    private let keepWhole: [[UInt8]]
    private var pending: [UInt8] = []

    init(maxLineBytes: Int = ProcessLineSplitter.defaultMaxLineBytes, keepWhole: [String] = []) {
        precondition(maxLineBytes >= 4)
        self.maxLineBytes = maxLineBytes
        self.keepWhole = keepWhole.map { Array($0.utf8) }.filter { !$0.isEmpty && $0.count < maxLineBytes / 2 }
    }

    /// Called with each line's text and, when the bytes were not valid UTF-8, the bytes.
    typealias Emit = (_ text: String, _ raw: [UInt8]?) -> Void

    /// Splits `bytes`, calling `emit` for every complete line.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, emit: Emit) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var start = 0
        let end = bytes.count
        while start < end {
            guard let hit = memchr(base + start, 0x0A, end - start) else { break }
            let newline = base.distance(to: UnsafeRawPointer(hit))
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<newline])
            if pending.isEmpty && piece.count <= maxLineBytes {
                let (text, raw) = Self.decode(piece)
                emit(text, raw)
            } else {
                pending.append(contentsOf: piece)
                emitOverflow(emit)
                let (text, raw) = pending.withUnsafeBytes { Self.decode($0) }
                emit(text, raw)
                pending.removeAll(keepingCapacity: pending.capacity <= 64 * 1024)
            }
            start = newline + 1
        }
        if start < end {
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            emitOverflow(emit)
        }
    }

    /// Emits leading pieces of `pending` until it is no longer than `maxLineBytes`.
    private mutating func emitOverflow(_ emit: Emit) {
        while pending.count > maxLineBytes {
            var cut = maxLineBytes
            // Do not cut inside a UTF-8 sequence: back up over continuation bytes.
            while cut > maxLineBytes - 3, pending[cut] & 0xC0 == 0x80 { cut -= 1 }
            cut = keepingWhole(cut)
            let (text, raw) = pending.withUnsafeBytes {
                Self.decode(UnsafeRawBufferPointer(rebasing: $0[0..<cut]), dropCarriageReturn: false)
            }
            emit(text, raw)
            pending.removeFirst(cut)
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
                var start = max(0, cut - pattern.count + 1)
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
        return cut > 0 ? cut : proposed
    }

    /// Whether the pending bytes from `start` match `pattern` as far as both go.
    private func startsPattern(_ pattern: [UInt8], at start: Int) -> Bool {
        let available = min(pattern.count, pending.count - start)
        for offset in 0..<available where pending[start + offset] != pattern[offset] { return false }
        return true
    }

    /// Emits what is left as a last line, if anything is.
    mutating func finish(emit: Emit) {
        guard !pending.isEmpty else { return }
        let (text, raw) = pending.withUnsafeBytes { Self.decode($0) }
        emit(text, raw)
        pending = []
    }

    /// The line's text, and its bytes if they were not valid UTF-8.
    ///
    /// Decoding with repair and then checking is cheaper than validating first: a repaired
    /// string either changed length or holds U+FFFD (bytes EF BF BD), so a line with neither
    /// was valid. Only a line holding U+FFFD is validated again, to tell a printed U+FFFD
    /// from a repaired one.
    static func decode(_ line: UnsafeRawBufferPointer, dropCarriageReturn: Bool = true) -> (String, [UInt8]?) {
        var line = line
        if dropCarriageReturn, let last = line.last, last == 0x0D {
            line = UnsafeRawBufferPointer(rebasing: line.dropLast())
        }
        var text = String(decoding: line, as: UTF8.self)
        let repaired = text.utf8.count != line.count
            || text.withUTF8 { $0.count > 0 && memchr($0.baseAddress!, 0xEF, $0.count) != nil }
        if repaired, String(validating: line, as: UTF8.self) == nil { return (text, Array(line)) }
        return (text, nil)
    }
}
