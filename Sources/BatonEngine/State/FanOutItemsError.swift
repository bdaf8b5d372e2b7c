/// Why a dynamic fan-out could not make its instances from its source's output: the reason
/// its fan-out step fails with.
public struct FanOutItemsError: Error, Sendable, Hashable {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }
}
