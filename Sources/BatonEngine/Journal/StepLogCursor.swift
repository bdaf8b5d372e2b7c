import Foundation

/// Reads a step's log from where the last read ended, a chunk at a time, so a follower can
/// hand on what a running step appends (`baton logs -f`).
///
/// Chunks come as the index lists them (see `StepLogStore`), each with its stream and time,
/// and only once their index line is written: the store writes a chunk's bytes before its
/// index line, so a chunk the index lists is whole. Bytes between chunks (the newline the
/// store puts before a line of Baton's that follows an unfinished line) are left out. The
/// bytes before the index's first chunk, and a log without an index, are of the older form
/// (`<UTC time> <stream> <text>` per line) and come a line at a time, as the line's text and a
/// newline. `finish` hands on what no index line covers: bytes a crash left past the last
/// chunk, as that chunk's stream (as `StepLogScanner` counts them), or the older form's
/// unfinished last line.
///
/// A log or index that shrank or was removed while it was read ends the reading with a
/// `Failure`, so a follower says so and stops instead of reading another file's bytes or
/// waiting for bytes that will never come. Not for use from more than one thread at once.
package final class StepLogCursor {
    /// A run of bytes of one stream: a chunk of the log, or one line of the older form.
    package struct Piece {
        package var stream: OutputLine.Stream
        package var time: Date
        package var bytes: ArraySlice<UInt8>
    }

    /// Why the log can no longer be read from where the cursor is.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// How many bytes of the log, or of its index, are read at a time.
    static let blockSize = 1 << 20

    /// The log's path; its index is next to it (`StepLogStore.indexPath(forLog:)`).
    package let path: String
    private var log: Int32 = -1
    private var index: Int32 = -1
    /// How far the index is read: the end of its last whole line read.
    private var indexRead = 0
    /// How far the log is handed on: the end of the last chunk (or older-form line).
    package private(set) var position = 0
    /// The last chunk handed on, whose stream bytes past it take.
    private var last: StepLogStore.IndexRecord?
    /// The block of the log last read, so chunks read one after another cost one read per block.
    private var block: [UInt8] = []
    private var blockStart = 0

    package init(path: String) {
        self.path = path
    }

    deinit {
        if log >= 0 { close(log) }
        if index >= 0 { close(index) }
    }

    /// Hands `body` every chunk the index lists that was not handed on yet, in order.
    package func read(_ body: (Piece) -> Void) throws(Failure) {
        let indexPath = StepLogStore.indexPath(forLog: path)
        if index < 0 {
            // The store opens the index before the log, so a log found before its index is
            // of the older form, whose whole lines can go now.
            let logIsThere = try openLog()
            index = Self.openIfPresent(indexPath)
            guard index >= 0 else {
                if logIsThere { try olderForm(upTo: try size(of: log, path), unfinished: false, body) }
                return
            }
        }
        let indexSize = try size(of: index, indexPath)
        guard indexSize >= indexRead else {
            throw Failure(description: "\(indexPath) was truncated (it holds \(indexSize) bytes, \(indexRead) had been read)")
        }
        let logSize = try openLog() ? try size(of: log, path) : 0
        while indexRead < indexSize {
            let bytes = DescriptorIO.read(index, count: min(Self.blockSize, indexSize - indexRead), at: indexRead)
            guard !bytes.isEmpty else { break }
            guard let lastNewline = bytes.lastIndex(of: 0x0A) else {
                // A line longer than a block is damaged: skip it, unless it is still being written.
                if bytes.count == Self.blockSize { indexRead += bytes.count; continue }
                break
            }
            indexRead += lastNewline + 1
            for line in bytes[...lastNewline].split(separator: 0x0A) {
                guard let record = StepLogStore.indexRecord(line) else { continue }
                try chunk(record, logSize: logSize, body)
            }
        }
    }

    /// Hands on what `read` leaves because no index line covers it yet: call it once the log
    /// is written no more, or to show a log as it stands.
    package func finish(_ body: (Piece) -> Void) throws(Failure) {
        try read(body)
        guard try openLog() else { return }
        let end = try size(of: log, path)
        guard let last else {
            try olderForm(upTo: end, unfinished: true, body)
            return
        }
        var offset = position
        while offset < end {
            guard let bytes = bytes(in: offset..<min(end, offset + Self.blockSize)) else { break }
            body(Piece(stream: last.stream, time: last.time, bytes: bytes))
            offset += bytes.count
        }
        position = max(position, end)
    }

    /// Hands on one chunk the index lists, after the older-form bytes before the first.
    private func chunk(_ record: StepLogStore.IndexRecord, logSize: Int, _ body: (Piece) -> Void) throws(Failure) {
        if last == nil, record.offset > position {
            try olderForm(upTo: min(record.offset, logSize), unfinished: true, body)
        }
        last = record
        let upper = record.offset + record.length
        guard upper <= logSize, log >= 0 else {
            throw Failure(description: "\(path) is shorter than its index says (\(logSize) bytes; a chunk ends at \(upper)): it was truncated or removed")
        }
        var offset = max(record.offset, position)
        while offset < upper {
            guard let bytes = bytes(in: offset..<upper) else {
                throw Failure(description: "\(path) could not be read at byte \(offset): it was truncated")
            }
            body(Piece(stream: record.stream, time: record.time, bytes: bytes))
            offset += bytes.count
        }
        position = max(position, upper)
    }

    /// Hands on the older-form lines between `position` and `end`; the last one only if
    /// `unfinished` (else it waits for its newline).
    private func olderForm(upTo end: Int, unfinished: Bool, _ body: (Piece) -> Void) throws(Failure) {
        var partial: [UInt8] = []
        var offset = position
        func emit(_ line: some Collection<UInt8>) {
            guard let (time, stream, text) = StepLogStore.olderFormLine(line) else { return }
            body(Piece(stream: stream, time: time, bytes: ArraySlice(Array(text) + [0x0A])))
        }
        while offset < end {
            guard let bytes = bytes(in: offset..<min(end, offset + Self.blockSize)) else {
                throw Failure(description: "\(path) could not be read at byte \(offset): it was truncated")
            }
            offset += bytes.count
            var start = bytes.startIndex
            while let newline = bytes[start...].firstIndex(of: 0x0A) {
                if partial.isEmpty {
                    emit(bytes[start..<newline])
                } else {
                    partial += bytes[start..<newline]
                    emit(partial)
                    partial.removeAll()
                }
                start = newline + 1
            }
            partial += bytes[start...]
        }
        if unfinished, !partial.isEmpty {
            emit(partial)
            partial.removeAll()
        }
        position = max(position, end - partial.count)
    }

    /// The log's bytes from the start of `range`, as many as one block holds; nil when the
    /// file holds none there.
    private func bytes(in range: Range<Int>) -> ArraySlice<UInt8>? {
        if range.lowerBound < blockStart || range.lowerBound >= blockStart + block.count {
            block = DescriptorIO.read(log, count: Self.blockSize, at: range.lowerBound)
            blockStart = range.lowerBound
        }
        let lower = range.lowerBound - blockStart
        let upper = min(range.upperBound - blockStart, block.count)
        guard lower < upper else { return nil }
        return block[lower..<upper]
    }

    /// Opens the log if it is there; false while it is not.
    private func openLog() throws(Failure) -> Bool {
        if log < 0 { log = Self.openIfPresent(path) }
        return log >= 0
    }

    /// The size of an open file, after checking it was neither removed nor cut below what
    /// was read.
    private func size(of descriptor: Int32, _ path: String) throws(Failure) -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        guard status.st_nlink > 0 else { throw Failure(description: "\(path) was removed") }
        let size = Int(status.st_size)
        if descriptor == log, size < position {
            throw Failure(description: "\(path) was truncated (it holds \(size) bytes, \(position) had been read)")
        }
        return size
    }

    private static func openIfPresent(_ path: String) -> Int32 {
        Foundation.open(path, O_RDONLY | O_CLOEXEC)
    }
}
