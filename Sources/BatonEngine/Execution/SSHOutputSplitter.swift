import Foundation
import Synchronization

/// Takes a remote step's outputs out of its standard error, where the remote script sends
/// them after a line only this attempt knows, and keeps them (up to one byte past
/// `StepOutputFile.maximumSize`, so an oversized file is still refused); every other line goes
/// on to the log.
///
/// It saves a second connection per step: the outputs come back on the one that ran it.
final class SSHOutputSplitter: Sendable {
    private struct Storage {
        var capturing = false
        var captured: [UInt8] = []
        /// The last line of standard error before the outputs: ssh's reason when it fails.
        var lastError: String?
    }

    private let marker: [UInt8]
    private let storage = Mutex(Storage())

    init(marker: String) {
        self.marker = Array(marker.utf8)
    }

    /// What came after the marker: the remote output file's bytes.
    var outputs: [UInt8] { storage.withLock { $0.captured } }

    /// The last line the step (or ssh) wrote to standard error.
    var lastError: String? { storage.withLock { $0.lastError } }

    /// Passes `chunk` on, less the marker and what follows it on standard error.
    func take(_ chunk: OutputChunk, forward: (OutputChunk) -> Void) {
        guard chunk.stream == .stderr else { return forward(chunk) }
        let bytes = chunk.bytes
        let (shown, captured) = storage.withLock { storage -> ([UInt8], ArraySlice<UInt8>) in
            if storage.capturing { return ([], bytes[...]) }
            guard let range = markerLine(in: bytes) else {
                if let line = OutputChunk(stepID: chunk.stepID, stream: .stderr, bytes: bytes).lastLines(1).last?.text, !line.isEmpty {
                    storage.lastError = line
                }
                return (bytes, [])
            }
            storage.capturing = true
            let before = Array(bytes[..<range.lowerBound])
            if let line = OutputChunk(stepID: chunk.stepID, stream: .stderr, bytes: before).lastLines(1).last?.text, !line.isEmpty {
                storage.lastError = line
            }
            return (before, bytes[range.upperBound...])
        }
        if !shown.isEmpty { forward(OutputChunk(stepID: chunk.stepID, stream: .stderr, bytes: shown, time: chunk.time)) }
        if !captured.isEmpty { keep(captured) }
    }

    /// Where a line that is exactly the marker stands, its newline included.
    private func markerLine(in bytes: [UInt8]) -> Range<Int>? {
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            if end - start == marker.count && bytes[start..<end].elementsEqual(marker) {
                return start..<min(bytes.count, end + 1)
            }
            start = end + 1
        }
        return nil
    }

    private func keep(_ bytes: ArraySlice<UInt8>) {
        storage.withLock { storage in
            storage.captured += bytes.prefix(max(0, StepOutputFile.maximumSize + 1 - storage.captured.count))
        }
    }
}
