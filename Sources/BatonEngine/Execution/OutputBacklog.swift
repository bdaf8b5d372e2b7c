import Synchronization

/// Bounds the published output that front ends have not yet got through.
///
/// It counts the bytes of output chunks the engine has published that are still in memory.
/// `Engine.updates` buffers without bound, and a step can print faster than a front end
/// shows it. Each published chunk carries a `Ticket` that gives its bytes back when the last
/// copy of the chunk is freed, so the count is what front ends have not yet got through.
/// Past `limit`, the engine still writes every byte to the log but publishes only a notice
/// until front ends have caught up, so memory stays bounded whatever a step prints. The last
/// chunk held back is kept (one per step), and published when the step's next chunk is, or
/// when its stream ends, so front ends always show where the output really ended.
package final class OutputBacklog: Sendable {
    /// Holds a chunk's bytes in the count until the chunk is freed.
    final class Ticket: Sendable {
        let backlog: OutputBacklog
        let bytes: Int

        init(backlog: OutputBacklog, bytes: Int) {
            self.backlog = backlog
            self.bytes = bytes
        }

        deinit { backlog.inFlight.subtract(bytes, ordering: .relaxed) }
    }

    package static let defaultLimit = 16 << 20

    let limit: Int
    private let inFlight = Atomic<Int>(0)
    /// Output of one step held back from front ends since they last got a chunk of it.
    private struct Held {
        /// How many bytes were left out before `last`.
        var bytes = 0
        var last: OutputChunk
    }

    private let held = Mutex<[String: Held]>([:])

    package init(limit: Int = OutputBacklog.defaultLimit) {
        self.limit = limit
    }

    /// The bytes published and not yet freed.
    package var bytesInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// What to publish for `chunk`: the chunk itself (with its ticket), preceded by what was
    /// held back of the step's output before it (see `released`); or, when front ends are
    /// behind, at most a notice the first time the step's output is held back, and nothing
    /// after that.
    ///
    /// - Parameter logPath: where the full output is, for the notices.
    package func admit(_ chunk: OutputChunk, logPath: String?) -> [OutputChunk] {
        if inFlight.load(ordering: .relaxed) + chunk.bytes.count > limit {
            let first = held.withLock { held in
                let earlier = held[chunk.stepID]
                let bytes = earlier.map { $0.bytes + $0.last.bytes.count } ?? 0
                held[chunk.stepID] = Held(bytes: bytes, last: chunk)
                return earlier == nil
            }
            guard first else { return [] }
            return [notice("output is arriving faster than it can be shown: some may be left out here\(location(logPath))", for: chunk)]
        }
        return released(chunk.stepID, logPath: logPath) + [ticketed(chunk)]
    }

    /// What to publish when one of a step's streams has ended (`marker` has no bytes): what
    /// was held back of its output, if anything, so front ends show its real end. This may
    /// go past `limit`, by one chunk per stream at most.
    package func streamEnded(_ marker: OutputChunk, logPath: String?) -> [OutputChunk] {
        released(marker.stepID, logPath: logPath)
    }

    /// The last chunk held back of a step, after a notice of what was left out before it.
    private func released(_ stepID: String, logPath: String?) -> [OutputChunk] {
        guard let released = held.withLock({ $0.removeValue(forKey: stepID) }) else { return [] }
        var published: [OutputChunk] = []
        if released.bytes > 0 {
            published.append(notice("\(released.bytes) bytes of output were left out here\(location(logPath))", for: released.last))
        }
        published.append(ticketed(released.last))
        return published
    }

    private func ticketed(_ chunk: OutputChunk) -> OutputChunk {
        var chunk = chunk
        chunk.ticket = Ticket(backlog: self, bytes: chunk.bytes.count)
        inFlight.add(chunk.bytes.count, ordering: .relaxed)
        return chunk
    }

    private func location(_ logPath: String?) -> String {
        logPath.map { "; the full output is in \($0)" } ?? ""
    }

    private func notice(_ text: String, for chunk: OutputChunk) -> OutputChunk {
        OutputChunk(stepID: chunk.stepID, stream: .baton, bytes: Array("… \(text)\n".utf8), time: chunk.time)
    }
}
