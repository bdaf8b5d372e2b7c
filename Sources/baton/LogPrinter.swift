import BatonConsole
import BatonEngine
import Foundation

/// Writes a step's log to stdout: the bytes as the step printed them, or, for a terminal,
/// each line with its escape sequences and other control characters written out
/// (`VisibleText`), so that a log cannot drive the terminal it is shown on.
///
/// Pieces of the other streams are left out when one stream is asked for. With a tail, the
/// last lines are kept until `endTail`, then printed; later pieces are printed as they come.
/// A line of Baton's (`baton` stream) after a step's unfinished last line starts on a line of
/// its own, as in the log file, and so does what follows a line of Baton's that was left out
/// (the next attempt's output after one that ended mid-line).
final class LogPrinter {
    /// A line of the log: its bytes with their newline, if they have one (a chunk's
    /// unfinished last line has none).
    private struct Line {
        /// Whether the line starts on a line of its own even after an unfinished one.
        var startsLine: Bool
        var bytes: [UInt8]
    }

    /// Why stdout took no more.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let escapes: Bool
    private let stream: OutputLine.Stream?
    /// The last lines, while a tail is being gathered: a ring of `tailLimit` lines at most.
    private var tail: [Line]?
    private var tailLimit = 0
    private var tailNext = 0
    private var output: [UInt8] = []
    /// Whether the last byte printed ended a line.
    private var endsLine = true
    /// Whether a line of Baton's was left out since the last piece taken.
    private var skippedBatonLine = false
    private var failure: Failure?

    /// - Parameters:
    ///   - escapes: show each line with its control characters escaped (for a terminal).
    ///   - stream: print only this stream's pieces.
    ///   - tail: keep only the last `tail` lines of what comes before `endTail`.
    init(escapes: Bool, stream: OutputLine.Stream?, tail: Int?) {
        self.escapes = escapes
        self.stream = stream
        if let tail {
            self.tail = []
            tailLimit = tail
        }
    }

    /// Takes one piece of the log.
    func take(_ piece: StepLogCursor.Piece) {
        if let stream, piece.stream != stream {
            if piece.stream == .baton { skippedBatonLine = true }
            return
        }
        let startsLine = piece.stream == .baton || skippedBatonLine
        skippedBatonLine = false
        guard tail != nil || escapes else {
            // As the step printed it: the piece's bytes as they are, in one go.
            if startsLine && !endsLine { output.append(0x0A) }
            output.append(contentsOf: piece.bytes)
            endsLine = piece.bytes.last == 0x0A
            flushIfFull()
            return
        }
        var start = piece.bytes.startIndex
        while start < piece.bytes.endIndex {
            let end = piece.bytes[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? piece.bytes.endIndex
            let line = Line(startsLine: start == piece.bytes.startIndex && startsLine, bytes: Array(piece.bytes[start..<end]))
            if tail != nil { keep(line) } else { emit(line) }
            start = end
        }
    }

    /// Prints the lines the tail kept; from now on lines are printed as they come.
    func endTail() {
        guard let kept = tail else { return }
        tail = nil
        let ordered = kept.count < tailLimit ? kept : Array(kept[tailNext...] + kept[..<tailNext])
        for line in ordered { emit(line) }
    }

    /// Writes out what is buffered; throws if stdout took no more, now or before.
    func flush() throws(Failure) {
        write()
        if let failure { throw failure }
    }

    private func keep(_ line: Line) {
        guard tailLimit > 0 else { return }
        if tail!.count < tailLimit {
            tail!.append(line)
        } else {
            tail![tailNext] = line
            tailNext = (tailNext + 1) % tailLimit
        }
    }

    private func emit(_ line: Line) {
        if escapes {
            // A line as the console shows it: without its newline and a CR before it.
            var bytes = line.bytes[...]
            if bytes.last == 0x0A { bytes = bytes.dropLast() }
            if bytes.last == 0x0D { bytes = bytes.dropLast() }
            output.append(contentsOf: VisibleText.escape(bytes: Array(bytes), limit: .max).utf8)
            output.append(0x0A)
        } else {
            if line.startsLine && !endsLine { output.append(0x0A) }
            output.append(contentsOf: line.bytes)
            endsLine = line.bytes.last == 0x0A
        }
        flushIfFull()
    }

    /// Writes once enough is buffered.
    private func flushIfFull() {
        if output.count >= 256 * 1024 { write() }
    }

    /// Writes what is buffered; the first failure is kept for `flush` to report, and what
    /// comes after it is dropped.
    private func write() {
        defer { output.removeAll(keepingCapacity: true) }
        guard failure == nil, !output.isEmpty else { return }
        if let error = output.withUnsafeBytes({ DescriptorIO.writeAll($0, to: STDOUT_FILENO) }) {
            failure = Failure(description: "cannot write to stdout: \(String(cString: strerror(error)))")
        }
    }
}
