import Foundation

/// Reads a step's whole log from its first line, a block at a time, so a search can go
/// through a log of any size in bounded memory.
///
/// Lines are made as `StepLogStore.readLines` makes them: each chunk of the index is split at
/// its newlines, and its unfinished last line (a piece of an overlong line, or the step's
/// last line) is a line of its own; the bytes before the index's first chunk, and a log with
/// no index, are of the older form, `<UTC time> <stream> <text>` per line, whose lines not in
/// that form are skipped; bytes past the last indexed chunk count as that chunk's stream.
/// Lines are numbered from 1 in that order, so the numbers agree with the console's count
/// of a step's lines. A scan reads no further than the log's size when it began, so a step
/// that is still writing cannot keep it going.
public struct StepLogScanner: Sendable {
    /// One line of the log, as the scan hands it on.
    public struct Line {
        /// The line's number in the log, from 1.
        public var number: Int
        public var stream: OutputLine.Stream
        public var time: Date
        /// The line's bytes without its newline (a `\r` before it is still there). Valid only
        /// during the call that receives the line.
        public var bytes: UnsafeRawBufferPointer

        /// The line decoded as `readLines` decodes it: UTF-8, a final `\r` left out, and the
        /// bytes kept in `raw` when they are not valid UTF-8.
        public func outputLine(stepID: String) -> OutputLine {
            let (text, raw) = ProcessLineSplitter.decode(bytes)
            return OutputLine(stepID: stepID, stream: stream, text: text, time: time, raw: raw)
        }
    }

    /// How many bytes are read at a time.
    public static let blockSize = 1 << 20
    /// The longest line handed on whole; a longer one (only a damaged log has one) comes as
    /// pieces, so memory stays bounded.
    static let maximumLineBytes = 4 << 20

    /// The log's path; its index is next to it (`StepLogStore.indexPath(forLog:)`).
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Hands each line to `body`, oldest first, until `body` returns false or the log ends.
    /// Returns how many lines were handed on, or nil when the log cannot be opened.
    public func scan(_ body: (Line) -> Bool) -> Int? {
        let descriptor = Foundation.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { Foundation.close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return nil }
        let log = BlockFile(descriptor: descriptor, size: Int(status.st_size))
        let indexDescriptor = Foundation.open(StepLogStore.indexPath(forLog: path), O_RDONLY | O_CLOEXEC)
        defer { if indexDescriptor >= 0 { Foundation.close(indexDescriptor) } }
        return withoutActuallyEscaping(body) { body in
            let scan = Scan(log: log, body: body)
            if indexDescriptor < 0 {
                scan.olderForm(upTo: log.size)
            } else {
                var indexStatus = stat()
                let indexSize = fstat(indexDescriptor, &indexStatus) == 0 ? Int(indexStatus.st_size) : 0
                scan.indexed(by: BlockFile(descriptor: indexDescriptor, size: indexSize))
            }
            return scan.count
        }
    }

    /// One scan's position: the lines handed on so far and the chunk being read. (A class, so
    /// that the closures reading blocks of a file can hand lines on through it.)
    private final class Scan {
        var log: BlockFile
        let body: (Line) -> Bool
        var count = 0
        var stopped = false
        /// The bytes of the log read so far.
        var position = 0
        var assembler = LineAssembler()

        init(log: BlockFile, body: @escaping (Line) -> Bool) {
            self.log = log
            self.body = body
        }

        /// Reads the chunks the index lists, in order; a log whose index lists none is of the older form.
        func indexed(by index: BlockFile) {
            var index = index
            var indexLines = LineAssembler()
            var last: StepLogStore.IndexRecord?
            var offset = 0
            while offset < index.size, !stopped {
                guard let read = index.withBytes(in: offset..<index.size, { block in
                    indexLines.feed(block) { line in
                        if let record = StepLogStore.indexRecord(line) {
                            chunk(record, after: last)
                            last = record
                        }
                        return !stopped
                    }
                }) else { break }
                offset += read
            }
            if !stopped { _ = indexLines.flush { line in
                if let record = StepLogStore.indexRecord(line) {
                    chunk(record, after: last)
                    last = record
                }
                return !stopped
            } }
            guard let last else {
                olderForm(upTo: log.size)
                return
            }
            // Bytes past the last indexed chunk were written just before a crash (or just
            // now, by a step still running): they are that chunk's stream as far as anyone knows.
            feed(position..<log.size, stream: last.stream, time: last.time)
            flushChunk(stream: last.stream, time: last.time)
        }

        /// Reads one indexed chunk, ending the one before it.
        func chunk(_ record: StepLogStore.IndexRecord, after previous: StepLogStore.IndexRecord?) {
            if let previous {
                flushChunk(stream: previous.stream, time: previous.time)
            } else if record.offset > 0 {
                // The older form, before the first chunk written with an index.
                olderForm(upTo: min(record.offset, log.size))
            }
            // Bytes between chunks belong to chunks whose index lines were lost: left out, as
            // `readLines` leaves them out.
            let lower = max(record.offset, position)
            let upper = min(record.offset + record.length, log.size)
            guard lower < upper else { return }
            feed(lower..<upper, stream: record.stream, time: record.time)
        }

        /// Splits the log's bytes in `range` into lines of one chunk; the chunk's unfinished
        /// last line waits for `flushChunk`.
        func feed(_ range: Range<Int>, stream: OutputLine.Stream, time: Date) {
            var offset = range.lowerBound
            while offset < range.upperBound, !stopped {
                guard let read = log.withBytes(in: offset..<range.upperBound, { block in
                    assembler.feed(block) { emit($0, stream: stream, time: time) }
                }) else { break }
                offset += read
            }
            position = max(position, range.upperBound)
        }

        /// Ends a chunk: its unfinished last line is a line.
        func flushChunk(stream: OutputLine.Stream, time: Date) {
            guard !stopped else { return }
            _ = assembler.flush { emit($0, stream: stream, time: time) }
        }

        /// Reads the log from `position` to `end` as lines of the older form.
        func olderForm(upTo end: Int) {
            var olderLines = LineAssembler()
            var offset = position
            while offset < end, !stopped {
                guard let read = log.withBytes(in: offset..<end, { block in
                    olderLines.feed(block) { emitOlderForm($0) }
                }) else { break }
                offset += read
            }
            if !stopped { _ = olderLines.flush { emitOlderForm($0) } }
            position = max(position, end)
        }

        func emitOlderForm(_ line: UnsafeRawBufferPointer) -> Bool {
            guard let (time, stream, text) = StepLogStore.olderFormLine(line) else { return true }
            return emit(UnsafeRawBufferPointer(rebasing: text), stream: stream, time: time)
        }

        /// Hands one line on; false once the body has had enough.
        func emit(_ bytes: UnsafeRawBufferPointer, stream: OutputLine.Stream, time: Date) -> Bool {
            count += 1
            if !body(Line(number: count, stream: stream, time: time, bytes: bytes)) { stopped = true }
            return !stopped
        }
    }

    /// A file read a block at a time: the block last read is kept, so many short reads from
    /// it (an index of tiny chunks) cost one system call per block.
    private struct BlockFile {
        let descriptor: Int32
        /// How far the file is read: its size when the scan began.
        let size: Int
        private var block: [UInt8] = []
        private var blockStart = 0

        init(descriptor: Int32, size: Int) {
            self.descriptor = descriptor
            self.size = size
        }

        /// Hands `body` the bytes from the start of `range` on, as many as one block holds;
        /// returns how many those were, or nil at an error or the file's real end.
        mutating func withBytes(in range: Range<Int>, _ body: (UnsafeRawBufferPointer) -> Void) -> Int? {
            if range.lowerBound < blockStart || range.lowerBound >= blockStart + block.count {
                guard fill(at: range.lowerBound) else { return nil }
            }
            let lower = range.lowerBound - blockStart
            let upper = min(range.upperBound - blockStart, block.count)
            block.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[lower..<upper])) }
            return upper - lower
        }

        private mutating func fill(at offset: Int) -> Bool {
            block = DescriptorIO.read(descriptor, count: min(StepLogScanner.blockSize, max(0, size - offset)), at: offset)
            blockStart = offset
            return !block.isEmpty
        }
    }

    /// Splits bytes that arrive in blocks into lines, keeping a line that spans blocks.
    private struct LineAssembler {
        /// The start of a line whose newline has not arrived yet.
        private var partial: [UInt8] = []

        /// Hands `emit` each line the bytes finish (without its newline) and keeps the rest;
        /// false when `emit` asked to stop.
        @discardableResult
        mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) -> Bool) -> Bool {
            guard let base = bytes.baseAddress else { return true }
            var start = 0
            while start < bytes.count {
                guard let found = memchr(base + start, 0x0A, bytes.count - start) else {
                    partial.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
                    return handOnOverlongPieces(emit)
                }
                let end = base.distance(to: UnsafeRawPointer(found))
                let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                start = end + 1
                if partial.isEmpty {
                    if !emit(line) { return false }
                } else {
                    partial.append(contentsOf: line)
                    let goOn = partial.withUnsafeBytes { emit($0) }
                    partial.removeAll(keepingCapacity: true)
                    if !goOn { return false }
                }
            }
            return true
        }

        /// Hands on the unfinished line, if any, as a line.
        mutating func flush(_ emit: (UnsafeRawBufferPointer) -> Bool) -> Bool {
            guard !partial.isEmpty else { return true }
            defer { partial.removeAll(keepingCapacity: true) }
            return partial.withUnsafeBytes { emit($0) }
        }

        private mutating func handOnOverlongPieces(_ emit: (UnsafeRawBufferPointer) -> Bool) -> Bool {
            while partial.count >= StepLogScanner.maximumLineBytes {
                let goOn = partial.withUnsafeBytes { emit(UnsafeRawBufferPointer(rebasing: $0[..<StepLogScanner.maximumLineBytes])) }
                partial.removeFirst(StepLogScanner.maximumLineBytes)
                if !goOn { return false }
            }
            return true
        }
    }
}
