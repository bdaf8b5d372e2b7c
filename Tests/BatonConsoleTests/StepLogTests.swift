import BatonConsole
import BatonEngine
import Testing

/// The console keeps a bounded tail of each step's output, however much arrives at once.
@Suite struct StepLogTests {
    /// A chunk of `count` numbered lines.
    func chunk(_ count: Int, from first: Int = 1) -> OutputChunk {
        var bytes: [UInt8] = []
        for number in first..<(first + count) { bytes += Array("line \(number)\r\n".utf8) }
        return OutputChunk(stepID: "build", stream: .stdout, bytes: bytes)
    }

    @Test func aHugeChunkKeepsItsLastLinesAndCountsTheRest() {
        var log = StepLog()
        log.append(chunk(20_000))
        #expect(log.lines.count == StepLog.limit)
        #expect(log.dropped == 20_000 - StepLog.limit)
        #expect(log.lines.first?.text == "line \(20_000 - StepLog.limit + 1)")
        #expect(log.lines.last?.text == "line 20000")
        // More chunks keep the tail and the count of what only the file on disk has.
        for start in stride(from: 20_001, to: 30_001, by: 1_000) { log.append(chunk(1_000, from: start)) }
        #expect(log.lines.count <= StepLog.limit + StepLog.limit / 4)
        #expect(log.dropped + log.lines.count == 30_000)
        #expect(log.lines.last?.text == "line 30000")
    }

    @Test func aHugeChunkAfterOtherLinesLeavesNoHole() {
        var log = StepLog()
        log.append(chunk(100))
        log.append(chunk(20_000, from: 101))
        // The lines kept are the last ones, in one run, and the count of earlier lines says
        // where they start.
        #expect(log.lines.count == StepLog.limit)
        #expect(log.dropped == 20_100 - StepLog.limit)
        #expect(log.lines.first?.text == "line \(log.dropped + 1)")
        #expect(log.lines.last?.text == "line 20100")
    }

    @Test func longLinesAreBoundedByBytesToo() {
        var log = StepLog()
        let long = [UInt8](repeating: 0x61, count: 64 * 1024) + [0x0A]
        for _ in 0..<2_000 { log.append(OutputChunk(stepID: "build", stream: .stdout, bytes: long)) }
        let kept = log.lines.reduce(0) { $0 + $1.text.utf8.count }
        #expect(kept <= StepLog.byteLimit + StepLog.byteLimit / 4)
        #expect(log.lines.count + log.dropped == 2_000)
        #expect(log.lines.count > 100)
    }
}
