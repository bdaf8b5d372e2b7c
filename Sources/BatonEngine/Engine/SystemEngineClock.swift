import Foundation

/// The real clocks: the system's wall clock for times, the continuous clock for waits, so a
/// change of the wall clock does not stretch or cut a backoff or a timeout.
public struct SystemEngineClock: EngineClock {
    public init() {}

    public var now: Double { Date().timeIntervalSince1970 }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
