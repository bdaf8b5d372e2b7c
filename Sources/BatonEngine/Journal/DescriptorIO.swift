import Foundation

/// Writes (and reads) whole buffers on a file descriptor, retrying short transfers and
/// interruptions.
public enum DescriptorIO {
    /// Writes every byte; returns the `errno` of a failed write, or nil when all was written.
    @discardableResult
    public static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard var pointer = buffer.baseAddress else { return nil }
        var left = buffer.count
        while left > 0 {
            let written = write(descriptor, pointer, left)
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            left -= written
            pointer += written
        }
        return nil
    }

    /// Writes a string's UTF-8 bytes; returns the `errno` of a failed write, or nil.
    @discardableResult
    public static func writeAll(_ text: String, to descriptor: Int32) -> Int32? {
        var text = text
        return text.withUTF8 { writeAll(UnsafeRawBufferPointer($0), to: descriptor) }
    }

    /// Sends every byte to a connected socket without SIGPIPE; false once the peer is gone.
    public static func sendAll(_ data: Data, to socket: Int32) -> Bool {
        data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let sent = send(socket, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 && errno == EINTR { continue }
                guard sent > 0 else { return false }
                offset += sent
            }
            return true
        }
    }

    /// Reads up to `count` bytes at `offset` (fewer at the end of the file), retrying short
    /// reads and interruptions.
    public static func read(_ descriptor: Int32, count: Int, at offset: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: max(0, count))
        var filled = 0
        while filled < bytes.count {
            let read = bytes.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else { break }
            filled += read
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }
}
