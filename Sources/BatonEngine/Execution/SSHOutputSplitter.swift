import Foundation
import Synchronization

/// Takes a remote step's outputs out of its standard error, where the remote script sends
/// them after a line only this attempt knows, and writes them to the local output file; every
/// other line goes on to the log.
///
/// It saves a second connection per step: the outputs come back on the one that ran it.
final class SSHOutputSplitter: Sendable {
    private struct Storage {
        var capturing = false
        var file: FileHandle?
        /// The last line of standard error before the outputs: ssh's reason when it fails.
        var lastError: String?
    }

    private let marker: [UInt8]
    private let outputPath: String
    private let storage = Mutex(Storage())

    init(marker: String, outputPath: String) {
        self.marker = Array(marker.utf8)
        self.outputPath = outputPath
    }

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
        if !captured.isEmpty { write(Data(captured)) }
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

    private func write(_ data: Data) {
        storage.withLock { storage in
            if storage.file == nil {
                _ = FileManager.default.createFile(atPath: outputPath, contents: nil, attributes: [.posixPermissions: 0o600])
                storage.file = FileHandle(forWritingAtPath: outputPath)
            }
            storage.file?.seekToEndOfFile()
            storage.file?.write(data)
        }
    }

    /// Closes the output file, so that it is whole before it is read.
    func finish() {
        storage.withLock { storage in
            try? storage.file?.close()
            storage.file = nil
        }
    }
}
