import BatonConsole
import BatonEngine
import Foundation

/// A synthetic workflow and a run in progress over it, for timing the console's `view`.
///
/// The graph is the one `bench/scheduler.py` uses: layers of 20 steps, and every step after
/// the first layer needs two steps of the layer before. The run is caught in the middle: the
/// first two fifths of the layers have succeeded; in the next layer eight steps run, one
/// failed (its two dependents are blocked), one is an approval gate waiting for a decision,
/// and the rest, like every later layer, are pending. Every step that has started has a
/// 300-line log in memory (one shared value, so building it is cheap).
enum SyntheticRun {
    static let layerWidth = 20
    static let logLines = 300

    static func stepID(_ layer: Int, _ index: Int) -> String {
        "s\(String(layer).leftPadded(to: 3))_\(String(index).leftPadded(to: 2))"
    }

    static func workflow(steps count: Int) -> Workflow {
        let layers = max(1, (count + layerWidth - 1) / layerWidth)
        let frontier = frontierLayer(layers: layers)
        var steps: [Step] = []
        steps.reserveCapacity(count)
        for position in 0..<count {
            let layer = position / layerWidth, index = position % layerWidth
            let needs = layer == 0 ? [] : [stepID(layer - 1, index), stepID(layer - 1, (index + 1) % layerWidth)]
            var step = Step(
                id: stepID(layer, index), run: "make -C part\(index) layer\(layer)", needs: needs,
                retry: index % 5 == 0 ? RetryPolicy(attempts: 3) : .none,
                rollback: index % 4 == 0 ? "make -C part\(index) undo-layer\(layer)" : nil)
            if layer == frontier && index == gateIndex {
                step.run = nil
                step.rollback = nil
                step.approval = ApprovalGate(prompt: "Promote layer \(layer) to production?", approvers: ["alice", "bob"])
            }
            steps.append(step)
        }
        return Workflow(name: "bench-\(count)", concurrency: 8, steps: steps)
    }

    /// The app state for `workflow`, with the run folded from events as the engine would write them.
    static func state(for workflow: Workflow, width: Int, height: Int) -> AppState {
        let start = 1_800_000_000.0
        var state = AppState(workflow: workflow, user: "alice", width: width, height: height, now: start + 600)
        var seq = 0
        var time = start
        func apply(_ event: RunEvent) {
            var event = event
            seq += 1
            time += 0.01
            event.seq = seq
            event.time = time
            do {
                try state.run.apply(event)
            } catch {
                fatalError("synthetic run: \(error)")
            }
        }
        var started = RunEvent(kind: .runStarted)
        started.runID = "20270115-080000-bench"
        started.workflow = workflow.name
        started.user = "alice"
        started.steps = workflow.stepIDs
        started.concurrency = 8
        apply(started)

        let layers = max(1, (workflow.steps.count + layerWidth - 1) / layerWidth)
        let frontier = frontierLayer(layers: layers)
        let log = sampleLog()
        for (position, step) in workflow.steps.enumerated() {
            let layer = position / layerWidth, index = position % layerWidth
            if layer < frontier {
                apply(.step(step.id, .running, attempt: 1))
                apply(.step(step.id, .succeeded, attempt: 1, exitCode: 0))
                state.logs[step.id] = log
            } else if layer == frontier {
                switch index {
                case gateIndex:
                    apply(.step(step.id, .waiting))
                case failedIndex:
                    apply(.step(step.id, .running, attempt: 1))
                    apply(.step(step.id, .failed, attempt: 1, exitCode: 2))
                    state.logs[step.id] = log
                case 0..<8:
                    apply(.step(step.id, .running, attempt: 1))
                    state.logs[step.id] = log
                default:
                    break
                }
            } else if layer == frontier + 1, index == failedIndex || index == failedIndex - 1 {
                apply(.step(step.id, .blocked, reason: "needs \(stepID(frontier, failedIndex)), which failed"))
            }
        }
        return state
    }

    /// The selections the frames cycle through: spread over the whole graph, so that the graph
    /// pane scrolls to a new place on most frames.
    static func selections(steps count: Int, frames: Int) -> [Int] {
        (0..<frames).map { frame in (frame * 7_919 + frame / 3) % max(1, count) }
    }

    private static let gateIndex = 9
    private static let failedIndex = 8

    private static func frontierLayer(layers: Int) -> Int { layers * 2 / 5 }

    private static func sampleLog() -> StepLog {
        var log = StepLog()
        let base = Date(timeIntervalSince1970: 1_800_000_000)
        for line in 0..<logLines {
            let text: String
            let stream: OutputLine.Stream
            switch line % 10 {
            case 3:
                stream = .stderr
                text = "warning: deprecated option --legacy-layout used in part\(line % 20)/Makefile:\(line)"
            case 7:
                stream = .stdout
                text = "[\(line)/\(logLines)] compiling module_\(line).swift — " + String(repeating: "detail ", count: 30)
            default:
                stream = .stdout
                text = "[\(line)/\(logLines)] compiling module_\(line).swift"
            }
            log.append(OutputLine(stepID: "bench", stream: stream, text: text, time: base.addingTimeInterval(Double(line))))
        }
        return log
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
