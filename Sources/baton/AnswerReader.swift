import BatonTerminal
import Foundation
import Synchronization

/// Reads the answer to one gate question from the terminal, and lets the question be
/// withdrawn while it waits: a gate that times out, or a run that is interrupted, ends the
/// question at once instead of waiting for a line that can no longer decide anything.
final class AnswerReader: Sendable {
    /// How a question ended.
    enum Answer: Sendable, Equatable {
        case line(String)
        /// Standard input was closed.
        case endOfInput
        /// `withdraw()` was called: the gate no longer waits for this answer.
        case withdrawn
    }

    private let wake: WakeSignal?
    /// Set by `withdraw()`, cleared by `begin()`; read by the reading thread between waits.
    private let withdrawn = Mutex(false)

    init() {
        // Without the wake pipe (no descriptors left) a question can still be answered; it
        // just cannot be withdrawn.
        wake = try? WakeSignal()
    }

    /// Starts a new question: forgets an earlier withdrawal, and discards whatever was typed
    /// before the question was asked, so a line meant for an earlier, withdrawn question
    /// cannot answer this one.
    func begin() {
        withdrawn.withLock { $0 = false }
        wake?.drain()
        tcflush(STDIN_FILENO, TCIFLUSH)
    }

    /// Ends the current question; `read()` returns `.withdrawn` at once. Safe from any thread.
    func withdraw() {
        withdrawn.withLock { $0 = true }
        wake?.wake()
    }

    /// Waits, on a thread of its own, for a line from standard input, its end, or `withdraw()`.
    func read() async -> Answer {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: self.readBlocking())
            }
        }
    }

    private func readBlocking() -> Answer {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            // Checked before every wait: a withdrawal that came before the wait began is not lost.
            if withdrawn.withLock({ $0 }) { return .withdrawn }
            let ready = EventWaiter.wait(for: [STDIN_FILENO, wake?.readDescriptor ?? -1], timeout: nil)
            if let wake, ready.contains(wake.readDescriptor) {
                wake.drain()
                continue
            }
            guard ready.contains(STDIN_FILENO) else { continue }
            let count = chunk.withUnsafeMutableBytes { Foundation.read(STDIN_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count <= 0 { return line.isEmpty ? .endOfInput : .line(String(decoding: line, as: UTF8.self)) }
            line.append(contentsOf: chunk[0..<count])
            if var end = line.firstIndex(of: 0x0A) {
                if end > 0 && line[end - 1] == 0x0D { end -= 1 }
                return .line(String(decoding: line[..<end], as: UTF8.self))
            }
        }
    }
}
