import Synchronization

/// Counts the bytes of output chunks the engine has published and that are still in memory,
/// and says when to publish no more.
///
/// `Engine.updates` buffers without bound, and a step can print faster than a front end
/// shows it. Each published chunk carries a `Ticket` that gives its bytes back when the last
/// copy of the chunk is freed, so the count is what front ends have not yet got through.
/// Past `limit`, the engine still writes every byte to the log but publishes only a notice
/// until front ends have caught up, so memory stays bounded whatever a step prints.
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
    /// Per step, how many bytes were kept from front ends since they last got a chunk.
    private let skipped = Mutex<[String: Int]>([:])

    package init(limit: Int = OutputBacklog.defaultLimit) {
        self.limit = limit
    }

    /// The bytes published and not yet freed.
    package var bytesInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// What to publish for `chunk`: the chunk itself (with its ticket), preceded by a notice
    /// if the step's output was held back before; or, when front ends are behind, at most a
    /// notice the first time the step's output is held back, and nothing after that.
    ///
    /// - Parameter logPath: where the full output is, for the notices.
    package func admit(_ chunk: OutputChunk, logPath: String?) -> [OutputChunk] {
        let size = chunk.bytes.count
        let where_ = logPath.map { "; the full output is in \($0)" } ?? ""
        if inFlight.load(ordering: .relaxed) + size > limit, size > 0 {
            let first = skipped.withLock { skipped in
                defer { skipped[chunk.stepID, default: 0] += size }
                return skipped[chunk.stepID] == nil
            }
            guard first else { return [] }
            return [notice("output is arriving faster than it can be shown: some is left out here\(where_)", for: chunk)]
        }
        var published: [OutputChunk] = []
        if let held = skipped.withLock({ $0.removeValue(forKey: chunk.stepID) }) {
            published.append(notice("\(held) bytes of output were left out here\(where_)", for: chunk))
        }
        var chunk = chunk
        chunk.ticket = Ticket(backlog: self, bytes: size)
        inFlight.add(size, ordering: .relaxed)
        published.append(chunk)
        return published
    }

    private func notice(_ text: String, for chunk: OutputChunk) -> OutputChunk {
        OutputChunk(stepID: chunk.stepID, stream: .baton, bytes: Array("… \(text)\n".utf8), time: chunk.time)
    }
}
