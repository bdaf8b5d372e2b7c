import BatonEngine
import BatonTerminal
import BatonTestSupport
import Testing
@testable import BatonConsole

/// Random input to `baton top`: the keys, clicks and resizes `ConsoleFuzzTests` sends, with
/// runs appearing, changing, going live, finishing and being deleted in between, notices
/// from the watch, and programs handed the terminal ending well or badly.
///
/// After each message a run is selected whenever any is listed, the list starts at one of its
/// rows, and every frame is drawn whole at the size it was asked for. Seeded, so a failure replays exactly.
@Suite struct TopFuzzTests {
    private static func run(_ id: String, _ random: inout SplitMix64, now: Double) -> TopRun {
        let statuses: [RunStatus] = [.notStarted, .running, .paused, .waitingForOperator, .stopping, .succeeded, .failed, .cancelled, .interrupted]
        let status = random.pick(statuses)
        let finished = [.succeeded, .failed, .cancelled].contains(status)
        let total = random.within(0...12_000)
        let gates = (0..<random.within(0...3)).map { index in
            TopGate(step: "gate-\(index)-" + String(repeating: "g", count: random.within(0...60)), approvers: random.chance(50) ? ["me"] : ["ops", "group:sre"], isMine: random.chance(50))
        }
        var run = TopRun(
            id: id, directory: "/state/runs/\(id)", workflow: random.chance(10) ? "" : "wf-" + String(repeating: "w", count: random.within(0...80)),
            user: random.pick(["me", "alice", "a-very-long-user-name-indeed"]), status: status, isFinished: finished,
            doneSteps: random.within(0...max(0, total)), totalSteps: total, startedAt: random.chance(10) ? nil : now - Double(random.within(0...200_000)),
            finishedAt: finished ? now - Double(random.within(0...100)) : nil, lastHeard: random.chance(30) ? now - Double(random.within(0...5_000)) : nil,
            isLive: !finished && random.chance(60), gates: gates,
            waitReasons: random.chance(30) ? ["'build' failed: exited with code 1 \u{1B}[31m", "the run is paused"] : [],
            problem: random.chance(8) ? "journal line 3 is not a valid event" : nil)
        run.hosts = random.within(0...40)
        run.activeHosts = random.within(0...run.hosts)
        run.failedHosts = random.within(0...(run.hosts - run.activeHosts))
        return run
    }

    private static func message(for state: TopState, ids: [String], _ random: inout SplitMix64) -> TopMessage {
        switch random.below(100) {
        case 0..<50:
            return .key(random.pick(ConsoleFuzzTests.keys))
        case 50..<60:
            let kinds: [MouseEvent.Kind] = [.press, .release, .wheelUp, .wheelDown]
            return .mouse(MouseEvent(random.pick(kinds), button: random.within(0...3),
                                     x: random.within(-2...(state.width + 2)), y: random.within(-2...(state.height + 2))))
        case 60..<65:
            return .resize(width: random.within(1...250), height: random.within(1...80))
        case 65..<72:
            return .tick(state.now + Double(random.within(0...120)))
        case 72..<88:
            return .runs((0..<random.within(1...4)).map { _ in run(random.pick(ids), &random, now: state.now) })
        case 88..<93:
            return .removed(Set((0..<random.within(1...3)).map { _ in random.pick(ids) }))
        case 93..<95:
            return .loaded
        case 95..<98:
            return .watchNotice(random.chance(50) ? nil : "cannot watch 3 run folders: inotify's limit is reached")
        default:
            return .childEnded(random.chance(50) ? "baton attach ended" : "baton replay exited with status 2", isError: random.chance(50))
        }
    }

    @Test(arguments: [1, 2, 3])
    func randomInputNeverTrapsOrLosesTheSelection(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let ids = (0..<40).map { String(format: "20261206-%06d-%04x", 120_000 + $0, $0) }
        var state = TopState(user: "me", stateDirectory: "/state", width: 120, height: 30, now: 1_800_000_000)
        var frames = 0
        var quits = 0
        for index in 0..<3_000 {
            let message = Self.message(for: state, ids: ids, &random)
            for effect in TopUpdate.update(&state, message) {
                if case .quit = effect { quits += 1 }
            }
            #expect((state.selectedIndex == nil) == state.runs.isEmpty,
                    "message \(index) (\(message)): \(state.runs.count) runs listed, selected \(String(describing: state.selectedID))")
            #expect(state.top >= 0 && (state.runs.isEmpty ? state.top == 0 : state.top < state.runs.count),
                    "message \(index) (\(message)): the list starts at row \(state.top) of \(state.runs.count)")
            if index % 4 == 0 || { if case .resize = message { return true } else { return false } }() {
                let frame = TopView.render(state, theme: .builtInDark, unicode: index % 2 == 0)
                #expect(frame.width == state.width && frame.height == state.height,
                        "message \(index) (\(message)): a \(state.width)×\(state.height) screen drew \(frame.width)×\(frame.height)")
                frames += 1
            }
        }
        #expect(frames > 700)
        print("TopFuzzTests: seed \(seed): 3000 messages, \(frames) frames, \(state.runs.count) runs listed at the end, \(quits) quits")
    }
}
