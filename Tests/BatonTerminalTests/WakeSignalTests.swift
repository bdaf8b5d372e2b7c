import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import BatonTerminal

@Suite struct WakeSignalTests {
    @Test func wakeMakesTheWaiterReturnTheDescriptor() throws {
        let signal = try WakeSignal()
        signal.wake()
        let ready = EventWaiter.wait(for: [signal.readDescriptor], timeout: .seconds(2))
        #expect(ready == [signal.readDescriptor])
    }

    @Test func drainClearsPendingWakes() throws {
        let signal = try WakeSignal()
        for _ in 0..<1000 { signal.wake() }
        signal.drain()
        #expect(EventWaiter.wait(for: [signal.readDescriptor], timeout: .zero).isEmpty)
    }

    @Test func aTimeoutReturnsEmpty() throws {
        let signal = try WakeSignal()
        let clock = ContinuousClock()
        let start = clock.now
        let ready = EventWaiter.wait(for: [signal.readDescriptor], timeout: .milliseconds(50))
        #expect(ready.isEmpty)
        #expect(clock.now - start >= .milliseconds(45))
    }

    @Test func onlyTheWokenDescriptorIsReported() throws {
        let first = try WakeSignal()
        let second = try WakeSignal()
        second.wake()
        #expect(EventWaiter.wait(for: [first.readDescriptor, second.readDescriptor, -1], timeout: .seconds(2))
            == [second.readDescriptor])
    }

    @Test func anotherThreadWakesABlockedWaiter() async throws {
        let signal = try WakeSignal()
        // The waker is a plain thread, so the blocked waiter cannot starve it of a worker.
        Thread.detachNewThread {
            usleep(50_000)
            signal.wake()
        }
        let ready = EventWaiter.wait(for: [signal.readDescriptor], timeout: .seconds(10))
        #expect(ready == [signal.readDescriptor])
    }

    @Test func descriptorsAreCloseOnExecAndNonBlocking() throws {
        let signal = try WakeSignal()
        #expect(fcntl(signal.readDescriptor, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(signal.readDescriptor, F_GETFL) & O_NONBLOCK != 0)
    }

    @Test func timeoutsRoundUpToWholeMilliseconds() {
        #expect(EventWaiter.milliseconds(.zero) == 0)
        #expect(EventWaiter.milliseconds(.milliseconds(-5)) == 0)
        #expect(EventWaiter.milliseconds(.microseconds(1)) == 1)
        #expect(EventWaiter.milliseconds(.milliseconds(250)) == 250)
        #expect(EventWaiter.milliseconds(.seconds(2) + .nanoseconds(1)) == 2001)
        #expect(EventWaiter.milliseconds(.seconds(10_000_000)) == Int32.max)
    }
}
