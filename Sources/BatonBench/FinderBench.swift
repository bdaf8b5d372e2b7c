import BatonConsole
import BatonEngine
import BatonTerminal
import Foundation

/// `baton-bench finder [--steps N] [--rounds K]`: what a key costs in the step finder on the
/// synthetic runs of the render benchmark (1,000 and 10,000 steps, 120×40).
///
/// Each round opens the finder (`:`), types a query a character at a time, moves down the
/// matches, takes the query back off with Backspace, types a `state:` token and closes the
/// finder with Esc. It times `update` for every key (match, rank, narrow the table, select
/// the best match and reveal it) and, apart, one full frame with the finder open. The
/// finder's index of the workflow is made on its first use; that first key is timed on its
/// own and left out of the rest. The console's budget for a key is 10 ms.
enum FinderBench {
    static let keyBudget = 10.0

    static func run(_ arguments: [String]) {
        var steps = [1_000, 10_000]
        var rounds = 20
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let text = rest.popFirst(), let value = Int(text), value > 0 else { usage() }
            switch flag {
            case "--steps": steps = [value]
            case "--rounds": rounds = value
            default: usage()
            }
        }
        print("step finder, one key in update (ms), 120×40, \(rounds) rounds per case; budget \(Int(keyBudget)) ms a key")
        print("steps   first key   key min  median     p95      max   frame median   verdict")
        for count in steps { runCase(steps: count, rounds: rounds) }
    }

    private static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: baton-bench finder [--steps N] [--rounds K]\n".utf8))
        exit(2)
    }

    /// The keys of one round: open, type, move, take back, filter by state, close.
    static let round: [Key] = [.character(":")] + "s012_0".map { Key.character($0) } + [.down, .down, .up]
        + Array(repeating: .backspace, count: 6) + "state:failed".map { Key.character($0) } + [.escape]

    private static func runCase(steps count: Int, rounds: Int) {
        let clock = ContinuousClock()
        let workflow = SyntheticRun.workflow(steps: count)
        var state = SyntheticRun.state(for: workflow, width: 120, height: 40)
        let context = ConsoleContext(workflow: workflow)
        state.graphNaturalSize = context.shownGraph(state).size
        // The first key that matches makes the index.
        _ = ConsoleUpdate.update(&state, .key(.character(":")), context: context)
        let first = milliseconds(clock.measure { _ = ConsoleUpdate.update(&state, .key(.character("s")), context: context) })
        _ = ConsoleUpdate.update(&state, .key(.escape), context: context)

        var keys: [Double] = []
        var cpu: [Double] = []
        var frames: [Double] = []
        for _ in 0..<rounds {
            for (number, key) in round.enumerated() {
                let cpuStart = threadCPUMilliseconds()
                keys.append(milliseconds(clock.measure { _ = ConsoleUpdate.update(&state, .key(key), context: context) }))
                cpu.append(threadCPUMilliseconds() - cpuStart)
                if number == 3 {
                    frames.append(milliseconds(clock.measure { blackHole(ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true)) }))
                }
            }
        }
        let key = Summary(keys)
        let frame = Summary(frames)
        let verdict = key.p95 <= keyBudget ? "ok" : (key.median <= keyBudget ? "p95 MISSES" : "MISSES")
        print("\(String(count).padding(toLength: 7, withPad: " ", startingAt: 0)) \(format(first)) ms  \(format(key.min)) \(format(key.median)) \(format(key.p95)) \(format(keys.max() ?? 0)) ms  \(format(frame.median)) ms     \(verdict)")
        // On a busy machine a slow key with a normal CPU time was preempted, not working.
        print("        thread CPU per key: median \(String(format: "%.2f", Summary(cpu).median)) ms, p95 \(String(format: "%.2f", Summary(cpu).p95)) ms, max \(String(format: "%.2f", cpu.max() ?? 0)) ms")
    }
}
