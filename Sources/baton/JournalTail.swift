import BatonEngine
import Foundation

/// A run's journal folded as it grows: each `read` applies the events appended since the
/// last one, so a follower knows the run's state without reading the journal again.
///
/// Only whole lines are read; a line still being written waits for its newline.
final class JournalTail {
    /// Why the journal cannot be read or folded.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let path: String
    /// The fold of every event read so far.
    private(set) var state = RunState()
    private let descriptor: Int32
    /// How far the journal is read: the end of its last whole line read.
    private var offset = 0

    /// Opens the journal at `path`; nothing is read yet.
    init(path: String) throws(Failure) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(descriptor) }

    /// Applies the events appended since the last read.
    func read() throws(Failure) {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
        guard status.st_nlink > 0 else { throw Failure(description: "\(path) was removed") }
        let size = Int(status.st_size)
        guard size >= offset else { throw Failure(description: "\(path) was truncated below the events already read") }
        guard size > offset else { return }
        let bytes = DescriptorIO.read(descriptor, count: size - offset, at: offset)
        guard let lastNewline = bytes.lastIndex(of: 0x0A) else { return }
        let contents: JournalReader.Contents
        do {
            contents = try JournalReader.decode(Data(bytes[...lastNewline]), path: path)
        } catch {
            throw Failure(description: error.description)
        }
        for event in contents.events {
            do {
                try state.apply(event)
            } catch {
                throw Failure(description: "\(path): \(error)")
            }
        }
        offset += lastNewline + 1
    }
}
