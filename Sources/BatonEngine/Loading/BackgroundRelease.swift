import Dispatch
import Foundation

/// Frees a large value on another thread, so that the thread done with it goes on at once.
///
/// Freeing the composed tree of a workflow of 10,000 steps takes a few milliseconds, on the
/// path of a run's start; nothing waits for the memory, so it is given back beside it.
enum BackgroundRelease {
    /// Holds what it is given until another thread lets it go.
    // @unchecked: `value` is only touched under `lock`. What it holds (a composed YAML tree)
    // is no longer used by the thread that handed it over; its reference counts are atomic.
    private final class Holder<Value>: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Value?

        init(_ value: consuming Value) { self.value = value }

        func drop() { lock.withLock { value = nil } }
    }

    /// Frees `value` on a thread of the global pool. Pass the last reference to what it holds
    /// (`consume` it), or the caller's own release may still be the one that frees it.
    static func release<Value>(_ value: consuming Value) {
        let holder = Holder(value)
        DispatchQueue.global(qos: .utility).async { holder.drop() }
    }
}
