import Synchronization

/// What a `notify:` command printed, stdout and stderr together, up to a limit: the rest is
/// counted, not kept. Appended to from the thread that watches the process.
final class NotificationOutput: Sendable {
    private struct Kept {
        var bytes: [UInt8] = []
        var dropped = 0
    }

    private let limit: Int
    private let kept = Mutex(Kept())

    init(limit: Int) { self.limit = limit }

    func append(_ bytes: [UInt8]) {
        kept.withLock { kept in
            let room = max(0, limit - kept.bytes.count)
            kept.bytes += bytes.prefix(room)
            kept.dropped += max(0, bytes.count - room)
        }
    }

    /// The output kept, as text, with a last line saying how much was left out.
    var text: String {
        kept.withLock { kept in
            var text = String(decoding: kept.bytes, as: UTF8.self)
            if kept.dropped > 0 {
                if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
                text += "… \(kept.dropped) more bytes not kept\n"
            }
            return text
        }
    }
}
