/// The state directory cannot be watched at all.
public struct RunsWatchError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
