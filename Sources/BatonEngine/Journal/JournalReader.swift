import Foundation

/// Reads a run's `events.jsonl` back into events.
public enum JournalReader {
    /// What a journal held.
    public struct Contents: Sendable {
        public var events: [RunEvent]
        /// True when the last line was cut short (a crash mid-write) and was ignored.
        public var ignoredTornLine: Bool
    }

    /// Reads every complete event. A torn last line is ignored; a damaged line elsewhere is an error.
    public static func read(path: String) throws(JournalError) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError(path: path, message: "cannot read the journal")
        }
        return try decode(data, path: path)
    }

    /// Decodes journal bytes; `path` only names the source in errors.
    public static func decode(_ data: Data, path: String) throws(JournalError) -> Contents {
        let decoder = JSONDecoder()
        var events: [RunEvent] = []
        var torn = false
        // Split as an array: `Data`'s own collection methods cost several times more per byte.
        let bytes = [UInt8](data)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        let endsWithNewline = bytes.last == 0x0A
        for (number, line) in lines.enumerated() {
            if line.isEmpty { continue }
            let isLast = number == lines.count - 1
            do {
                events.append(try RunEvent(journalLine: line) ?? decoder.decode(RunEvent.self, from: Data(line)))
            } catch {
                if isLast && !endsWithNewline {
                    torn = true
                    continue
                }
                throw JournalError(path: path, message: "line \(number + 1) is not a valid event")
            }
        }
        return Contents(events: events, ignoredTornLine: torn)
    }

    /// Folds the events of a journal into a run state.
    public static func fold(_ events: [RunEvent]) throws(RunFoldError) -> RunState {
        var state = RunState()
        for event in events { try state.apply(event) }
        return state
    }
}
