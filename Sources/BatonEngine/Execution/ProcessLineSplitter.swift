#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Cuts a byte stream into lines.
///
/// Lines end at `\n`; a `\r` right before it is dropped too. Bytes are decoded as UTF-8, with
/// invalid sequences replaced by U+FFFD. A line that grows past `maxLineBytes` without a
/// newline is emitted in pieces of at most that size (cut on a character boundary where
/// possible), so one endless line cannot use unbounded memory. A cut never falls inside one of
/// the `keepWhole` texts (the run's secrets), nor right after the start of one that may go on
/// in bytes still to come: the piece ends before it instead, so masking each piece still finds
/// every secret whole. `finish` emits a last line that had no newline.
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

    /// Splits `bytes`, calling `emit` for every complete line.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, emit: (String) -> Void) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var start = 0
        let end = bytes.count
        while start < end {
            guard let hit = memchr(base + start, 0x0A, end - start) else { break }
            let newline = base.distance(to: UnsafeRawPointer(hit))
            let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<newline])
            if pending.isEmpty && piece.count <= maxLineBytes {
                emit(Self.decode(piece))
            } else {
                pending.append(contentsOf: piece)
                emitOverflow(emit)
                pending.withUnsafeBytes { emit(Self.decode($0)) }
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
    private mutating func emitOverflow(_ emit: (String) -> Void) {
        while pending.count > maxLineBytes {
            var cut = maxLineBytes
            // Do not cut inside a UTF-8 sequence: back up over continuation bytes.
            while cut > maxLineBytes - 3, pending[cut] & 0xC0 == 0x80 { cut -= 1 }
            cut = keepingWhole(cut)
            pending.withUnsafeBytes { emit(Self.decode(UnsafeRawBufferPointer(rebasing: $0[0..<cut]), dropCarriageReturn: false)) }
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
    mutating func finish(emit: (String) -> Void) {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBytes { emit(Self.decode($0)) }
        pending = []
    }

    private static func decode(_ line: UnsafeRawBufferPointer, dropCarriageReturn: Bool = true) -> String {
        var line = line
        if dropCarriageReturn, let last = line.last, last == 0x0D {
            line = UnsafeRawBufferPointer(rebasing: line.dropLast())
        }
        return String(decoding: line, as: UTF8.self)
    }
}
