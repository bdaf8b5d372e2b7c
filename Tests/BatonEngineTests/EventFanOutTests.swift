import Testing
@testable import BatonEngine

/// Publishing to watchers never waits: one that falls behind is dropped, the others get all.
@Suite struct EventFanOutTests {
    private func events(_ count: Int) -> [RunEvent] {
        (1...count).map { RunEvent(seq: $0, time: 0, kind: .runPaused) }
    }

    @Test func aSubscriberThatFallsBehindIsDroppedAndTheOthersGetEverything() async {
        let fanOut = EventFanOut(limit: 3)
        let (_, slow) = fanOut.subscribe()
        let (_, other) = fanOut.subscribe()
        fanOut.publish(events(3))
        // The slow one reads nothing yet; the other keeps up.
        var seenByOther: [Int] = []
        var iterator = other.makeAsyncIterator()
        for _ in 0..<3 { if let event = await iterator.next() { seenByOther.append(event.seq) } }
        fanOut.publish(events(5).suffix(2))
        for _ in 0..<2 { if let event = await iterator.next() { seenByOther.append(event.seq) } }
        #expect(seenByOther == [1, 2, 3, 4, 5])
        var seenBySlow: [Int] = []
        for await event in slow { seenBySlow.append(event.seq) }
        #expect(seenBySlow == [1, 2, 3], "its buffer held three; then its stream ended so it can resynchronise")
        fanOut.finishAll()
        #expect(await iterator.next() == nil, "every stream ends when the journal closes")
        let (_, late) = fanOut.subscribe()
        var lateIterator = late.makeAsyncIterator()
        #expect(await lateIterator.next() == nil, "a subscription after the close ends at once")
    }
}
