import Foundation
import Synchronization

/// Runs work on a fresh thread with a large stack, waiting for its result at once (`run`) or
/// later (`start`, then `Job.result`).
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
        start(body).result
    }

    /// Starts `body` on a new thread and returns at once; the job's `result` waits for it.
    package static func start<Value: Sendable>(_ body: @escaping @Sendable () -> Value) -> Job<Value> {
        let job = Job<Value>()
        let thread = Thread {
            job.finish(body())
        }
        thread.stackSize = stackSize
        thread.start()
        return job
    }

    /// Work running on a thread of its own, and what it returned once it has.
    package final class Job<Value: Sendable>: Sendable {
        private let value = Mutex<Value?>(nil)
        private let done = DispatchSemaphore(value: 0)

        /// What the work returned, waiting for it to finish first.
        package var result: Value {
            done.wait()
            // Signalled again, so that asking twice does not wait forever.
            done.signal()
            guard let result = value.withLock({ $0 }) else {
                preconditionFailure("a finished job always holds its value")
            }
            return result
        }

        fileprivate func finish(_ result: Value) {
            value.withLock { $0 = result }
            done.signal()
        }
    }
}
