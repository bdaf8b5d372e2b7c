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
/// where possible), so one endless line cannot use unbounded memory. `finish` emits a last
/// line that had no newline.
struct ProcessLineSplitter {
    static let defaultMaxLineBytes = 1 << 20

    let maxLineBytes: Int
    private var pending: [UInt8] = []

    init(maxLineBytes: Int = ProcessLineSplitter.defaultMaxLineBytes) {
        precondition(maxLineBytes >= 4)
        self.maxLineBytes = maxLineBytes
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
            let (text, raw) = pending.withUnsafeBytes {
                Self.decode(UnsafeRawBufferPointer(rebasing: $0[0..<cut]), dropCarriageReturn: false)
            }
            emit(text, raw)
            pending.removeFirst(cut)
        }
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
