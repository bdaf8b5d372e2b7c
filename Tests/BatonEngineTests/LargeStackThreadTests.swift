import Foundation
import Synchronization
import Testing
@testable import BatonEngine

/// Work started on a large stack goes on while the caller does, and its result waits for it.
@Suite struct LargeStackThreadTests {
    @Test func aStartedJobRunsWhileTheCallerGoesOn() {
        let release = DispatchSemaphore(value: 0)
        let steps = Mutex<[String]>([])
        let job = LargeStackThread.start { () -> Int in
            release.wait()
            steps.withLock { $0.append("job") }
            return 42
        }
        // The job waits for this line: start returned before the work was done.
        steps.withLock { $0.append("caller") }
        release.signal()
        #expect(job.result == 42)
        #expect(job.result == 42, "asking again does not wait")
        #expect(steps.withLock { $0 } == ["caller", "job"])
    }

    @Test func theJobHasTheLargeStack() {
        let size = LargeStackThread.run { Thread.current.stackSize }
        #expect(size >= LargeStackThread.stackSize)
    }
}
