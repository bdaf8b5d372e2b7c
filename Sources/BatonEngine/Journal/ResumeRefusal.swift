/// Why a recorded run cannot be resumed, in a sentence for the operator.
public struct ResumeRefusal: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}
