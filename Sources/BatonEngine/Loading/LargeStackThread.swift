import Foundation

/// Runs work on a fresh thread with a large stack and waits for its result.
///
/// The YAML composer recurses once per nesting level and may see up to a thousand levels;
/// the threads of Swift concurrency can have stacks as small as 512 KiB. Loading on a thread
/// of its own keeps deep but legal input from overflowing the caller's stack, whatever thread
/// the caller is on. The node tree is also released there, which recurses as deeply.
package enum LargeStackThread {
    /// The stack size of the loading thread; only the pages used are ever committed.
    package static let stackSize = 64 << 20

    /// Runs `body` on a new thread and returns what it returned.
    package static func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) -> Value {
        let box = ResultBox<Value>()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.value = body()
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        guard let value = box.value else {
            // The thread always stores a value before signalling.
            return body()
        }
        return value
    }

    /// Carries the result from the worker thread; the semaphore orders the accesses.
    private final class ResultBox<Value: Sendable>: @unchecked Sendable {
        var value: Value?
    }
}
