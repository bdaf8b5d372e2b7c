import Foundation
import Synchronization
import Testing
@testable import BatonEngine

/// Publishing to watchers never waits: one that falls behind is told so, the others get all.
@Suite struct UpdateFanOutTests {
    private func events(_ range: ClosedRange<Int>) -> [EngineUpdate] {
        range.map { .event(RunEvent(seq: $0, time: 0, kind: .runPaused)) }
    }

    private func seqs(_ next: UpdateSubscription.Next?) -> [Int] {
        guard case .updates(let updates) = next else { return [] }
        return updates.compactMap { if case .event(let event) = $0.update { event.seq } else { nil } }
    }

    @Test func aSubscriberThatFallsBehindIsToldSoAndTheOthersGetEverything() {
        let fanOut = UpdateFanOut(limit: 3)
        let slow = fanOut.subscribe {}
        let other = fanOut.subscribe {}
        fanOut.publish(events(1...3))
        // The slow one takes nothing yet; the other keeps up.
        var seenByOther = seqs(other.take())
        fanOut.publish(events(4...5))
        seenByOther += seqs(other.take())
        #expect(seenByOther == [1, 2, 3, 4, 5])
        #expect(other.take() == nil, "nothing new: nothing to take, and no end")
        #expect(slow.take() == .ended(.fellBehind), "its buffer held three; the fourth did not fit, so it starts again from the journal")
        fanOut.publish(events(6...6))
        #expect(seqs(other.take()) == [6], "the one that fell behind is no longer published to")
        fanOut.finishAll()
        #expect(other.take() == .ended(.closed), "every subscription ends when the journal closes")
        #expect(fanOut.subscribe {}.take() == .ended(.closed), "a subscription after the close ends at once")
    }

    @Test func eachPublishAndTheEndWakeTheSubscriber() {
        let fanOut = UpdateFanOut()
        let wakes = Atomic<Int>(0)
        let subscription = fanOut.subscribe { wakes.add(1, ordering: .relaxed) }
        fanOut.publish(events(1...2))
        fanOut.publish(events(3...3))
        #expect(wakes.load(ordering: .relaxed) == 2)
        fanOut.finishAll()
        #expect(wakes.load(ordering: .relaxed) == 3)
        #expect(seqs(subscription.take()) == [1, 2, 3])
        #expect(subscription.take() == .ended(.closed))
    }

    @Test func outputAndFailuresTravelWithEventsInOrder() {
        let fanOut = UpdateFanOut()
        let subscription = fanOut.subscribe {}
        var chunk = OutputChunk(stepID: "build", stream: .stdout, bytes: Array("hello\n".utf8))
        chunk.logOffset = 42
        fanOut.publish(events(1...1))
        fanOut.publish([.output(chunk), .recordingFailed("disk full")])
        guard case .updates(let updates)? = subscription.take() else {
            Issue.record("nothing was published")
            return
        }
        #expect(updates.count == 3)
        if case .output(let received) = updates[1].update { #expect(received.logOffset == 42) } else { Issue.record("no output") }
        #expect(updates[2].update == .recordingFailed("disk full"))
        let decoded = updates.map { try? JSONDecoder().decode(HostMessage.self, from: Data($0.line.dropLast())) }
        #expect(decoded[0]?.event?.seq == 1 && decoded[1]?.chunk?.logOffset == 42 && decoded[2]?.message == "disk full",
                "each update comes with its protocol line")
    }

    @Test func cancellingEndsTheSubscriptionAndStopsPublishing() {
        let fanOut = UpdateFanOut()
        let subscription = fanOut.subscribe {}
        subscription.cancel()
        #expect(subscription.take() == .ended(.cancelled))
        #expect(!fanOut.hasSubscribers)
    }
}
