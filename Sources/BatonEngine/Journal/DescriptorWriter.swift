import Foundation

/// Writes whole buffers to a file descriptor, retrying short writes and interruptions.
public enum DescriptorWriter {
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
}
