/// Why a recorded run cannot be resumed, in a sentence for the operator.
public struct ResumeRefusal: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// The run would be resumable, but its journal cannot be opened for writing: the run
    /// cannot be recorded, and `baton` says so with its own exit status.
    public var cannotRecord: Bool

    public init(_ description: String, cannotRecord: Bool = false) {
        self.description = description
        self.cannotRecord = cannotRecord
    }
}
