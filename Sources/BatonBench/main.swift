// baton-bench: times the console's `view` (ConsoleView.render) on large synthetic runs.
//
//     baton-bench render [--steps N] [--frames K] [--width W --height H]
//     baton-bench attach RUN_DIR [--times K]   (see AttachBench)
//     baton-bench finder [--steps N] [--rounds K]   (see FinderBench)
//
// Without --steps it measures 1,000 and 10,000 steps; without --width/--height it measures
// 200×50 and 120×40. For each case it builds the workflow and the run (see SyntheticRun),
// computes the ConsoleContext once (timed on its own: the console does it once per run),
// then renders K full frames, moving the selection across the graph before each one so that
// the graph pane scrolls. It prints min/median/p95 wall-clock time per frame next to the
// targets (the verdict uses the p95), the thread's CPU time per frame (on a busy machine a
// wall-clock outlier with a normal CPU time is preemption, not work), the time `update` takes
// to move the selection (reveal it in graph and table), and the median time of each pane.
//
// Build it in release mode: swift build -c release && .build/release/baton-bench render
import BatonConsole
import BatonEngine
import BatonTerminal
import Foundation

/// The issue's targets for one full frame.
let frameTargets: [(steps: Int, milliseconds: Double)] = [(1_000, 5), (10_000, 50)]

struct Options {
    var steps: [Int] = [1_000, 10_000]
    var frames = 200
    var sizes: [(width: Int, height: Int)] = [(200, 50), (120, 40)]
}

func usage() -> Never {
    FileHandle.standardError.write(Data("""
        usage: baton-bench render [--steps N] [--frames K] [--width W --height H]
          --steps N    steps in the synthetic workflow (default: 1000, then 10000)
          --frames K   frames rendered per case (default: 200)
          --width W, --height H
                       terminal size (default: 200×50, then 120×40)

        """.utf8))
    exit(2)
}

func parseOptions(_ arguments: [String]) -> Options {
    guard arguments.first == "render" else { usage() }
    var options = Options()
    var width: Int?
    var height: Int?
    var rest = arguments.dropFirst()
    while let flag = rest.popFirst() {
        guard let text = rest.popFirst(), let value = Int(text), value > 0 else { usage() }
        switch flag {
        case "--steps": options.steps = [value]
        case "--frames": options.frames = value
        case "--width": width = value
        case "--height": height = value
        default: usage()
        }
    }
    if width != nil || height != nil {
        guard let width, let height else { usage() }
        options.sizes = [(width, height)]
    }
    return options
}

/// Keeps a value alive so the optimiser cannot drop the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// CPU time this thread has used, in ms: unlike the wall clock, it does not count the time the
/// thread waited for a core, so it shows whether a slow frame did more work or was preempted.
func threadCPUMilliseconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) * 1_000 + Double(spec.tv_nsec) / 1e6
}

/// Milliseconds in a duration.
func milliseconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) * 1_000 + Double(attoseconds) / 1e15
}

struct Summary {
    var min: Double
    var median: Double
    var p95: Double

    init(_ samples: [Double]) {
        let sorted = samples.sorted()
        min = sorted.first ?? 0
        median = sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        p95 = sorted.isEmpty ? 0 : sorted[Int((Double(sorted.count - 1) * 0.95).rounded())]
    }
}

func format(_ value: Double) -> String { String(format: "%7.2f", value) }

/// Renders every pane on its own, as ConsoleView does, and returns each one's time in ms.
func paneTimes(_ state: AppState, context: ConsoleContext, theme: Theme, clock: ContinuousClock) -> [(String, Double)] {
    let layout = ConsoleLayout(width: state.width, height: state.height)
    var buffer = Buffer(width: state.width, height: state.height, fill: Cell(" ", style: theme.style(.text)))
    func inner(_ rect: Rect) -> Rect {
        PaneFrame.draw(into: &buffer, rect: rect, title: "pane", focused: false, theme: theme, unicode: true)
    }
    let graphArea = inner(layout.graph), detailsArea = inner(layout.details)
    let stepsArea = inner(layout.steps), logsArea = inner(layout.logs)
    let compact = ConsoleUpdate.isCompact(state, context: context)
    var times: [(String, Double)] = []
    times.append(("header", milliseconds(clock.measure {
        HeaderView(state: state, theme: theme, unicode: true).render(into: &buffer, area: layout.header)
    })))
    times.append(("graph", milliseconds(clock.measure {
        let states = state.workflow.steps.indices.map { state.stepState($0) }
        if !compact, let neighbourhood = context.neighbourhood(state) {
            GraphNeighbourhoodView(neighbourhood: neighbourhood, shownWorkflow: state.workflow, states: states,
                                   scroll: (state.panes.graph.x, state.panes.graph.y), theme: theme, unicode: true)
                .render(into: &buffer, area: graphArea)
        } else {
            GraphView(layout: context.graph, workflow: state.workflow, states: states, selected: state.selected,
                      scroll: (state.panes.graph.x, state.panes.graph.y), theme: theme, unicode: true, compact: compact)
                .render(into: &buffer, area: graphArea)
        }
    })))
    times.append(("details", milliseconds(clock.measure {
        DetailsView(state: state, plan: context.plan, theme: theme).render(into: &buffer, area: detailsArea)
    })))
    times.append(("steps", milliseconds(clock.measure {
        StepTable(state: state, grouping: context.grouping(state), theme: theme, unicode: true).render(into: &buffer, area: stepsArea)
    })))
    times.append(("logs", milliseconds(clock.measure {
        LogView(state: state, theme: theme, unicode: true).render(into: &buffer, area: logsArea)
    })))
    times.append(("frames", milliseconds(clock.measure {
        for rect in [layout.graph, layout.details, layout.steps, layout.logs] { _ = inner(rect) }
        StatusView(status: state.status, theme: theme).render(into: &buffer, area: layout.status)
        FooterView(theme: theme, searchPrompt: nil).render(into: &buffer, area: layout.footer)
    })))
    return times
}

func runCase(steps: Int, width: Int, height: Int, frames: Int, theme: Theme) {
    let clock = ContinuousClock()
    let workflow = SyntheticRun.workflow(steps: steps)
    var state = SyntheticRun.state(for: workflow, width: width, height: height)
    var context: ConsoleContext?
    let contextTime = milliseconds(clock.measure { context = ConsoleContext(workflow: workflow) })
    guard let context else { return }
    let compact = context.graphNeedsCompact(width: ConsoleLayout(width: width, height: height).graph.width - 2, state: state)

    var frameTimes: [Double] = [], cpuTimes: [Double] = [], updateTimes: [Double] = [], neighbourhoodTimes: [Double] = []
    var paneSamples: [String: [Double]] = [:]
    var paneOrder: [String] = []
    let warmUp = min(10, frames)
    for (number, selection) in SyntheticRun.selections(steps: steps, frames: frames + warmUp).enumerated() {
        // Move the selection the way a key does: `update` reveals it in the graph and the table.
        state.selected = selection
        let updateTime = clock.measure { _ = ConsoleUpdate.update(&state, .resize(width: width, height: height), context: context) }
        // The neighbourhood's layout alone, made afresh (update just made and kept this one).
        let inner = ConsoleLayout(state).inner(.graph)
        let neighbourhoodTime = clock.measure {
            blackHole(GraphNeighbourhood(graph: context.graph, workflow: workflow, centre: selection, width: inner.width, height: inner.height))
        }
        let cpuStart = threadCPUMilliseconds()
        let frameTime = clock.measure { blackHole(ConsoleView.render(state, context: context, theme: theme, unicode: true)) }
        let cpuTime = threadCPUMilliseconds() - cpuStart
        guard number >= warmUp else { continue }
        frameTimes.append(milliseconds(frameTime))
        cpuTimes.append(cpuTime)
        updateTimes.append(milliseconds(updateTime))
        neighbourhoodTimes.append(milliseconds(neighbourhoodTime))
        for (pane, time) in paneTimes(state, context: context, theme: theme, clock: clock) {
            if paneSamples[pane] == nil { paneOrder.append(pane) }
            paneSamples[pane, default: []].append(time)
        }
    }

    let frame = Summary(frameTimes)
    let target = frameTargets.first { $0.steps == steps }?.milliseconds
    let verdict = target.map { frame.p95 <= $0 ? "ok" : (frame.median <= $0 ? "p95 MISSES" : "MISSES") } ?? ""
    let targetText = target.map { "≤ \(Int($0)) ms" } ?? "(no target)"
    let size = "\(width)×\(height)"
    print("\(String(steps).padding(toLength: 7, withPad: " ", startingAt: 0)) \(size.padding(toLength: 8, withPad: " ", startingAt: 0))"
          + "\(format(contextTime)) ms  \(format(frame.min)) \(format(frame.median)) \(format(frame.p95)) ms   \(targetText.padding(toLength: 9, withPad: " ", startingAt: 0)) \(verdict)")
    let cpu = Summary(cpuTimes)
    let panes = paneOrder.map { "\($0) \(String(format: "%.2f", Summary(paneSamples[$0] ?? []).median))" }.joined(separator: ", ")
    let over = target.map { limit in
        " (over target: \(frameTimes.filter { $0 > limit }.count) wall, \(cpuTimes.filter { $0 > limit }.count) CPU of \(frames))"
    } ?? ""
    print("        thread CPU per frame: median \(String(format: "%.2f", cpu.median)) ms, p95 \(String(format: "%.2f", cpu.p95)) ms\(over)")
    let shown = context.neighbourhood(state) != nil ? "the selection's neighbourhood" : compact ? "compact" : "layered"
    let neighbourhood = Summary(neighbourhoodTimes)
    print("        graph \(shown); update (move the selection) median \(String(format: "%.3f", Summary(updateTimes).median)) ms; "
          + "neighbourhood layout median \(String(format: "%.3f", neighbourhood.median)) ms, p95 \(String(format: "%.3f", neighbourhood.p95)) ms")
    print("        panes, median ms: \(panes)")
}

if CommandLine.arguments.dropFirst().first == "attach" {
    await AttachBench.run(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "finder" {
    FinderBench.run(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
let options = parseOptions(Array(CommandLine.arguments.dropFirst()))
#if DEBUG
print("note: this is a debug build; the targets are for a release build (swift build -c release)")
#endif
print("ConsoleView.render, one full frame, \(options.frames) frames per case (selection moves each frame)")
print("steps   size       context ms    frame min  median     p95      target    verdict")
for steps in options.steps {
    for size in options.sizes {
        runCase(steps: steps, width: size.width, height: size.height, frames: options.frames, theme: .builtInDark)
    }
}
print("targets: a full frame of 1,000 steps ≤ 5 ms, of 10,000 steps ≤ 50 ms (verdict uses p95); the context is computed once per run")
