import BatonEngine
import BatonTerminal
import BatonTestSupport
import Foundation
import Testing
@testable import BatonConsole

/// Random operators on every demo: keys (printable, control, function and editing keys, text
/// in other scripts), clicks and wheel turns anywhere (off the screen too), pastes with line
/// breaks and escapes, resizes down to 1×1 and up to 250×80, ticks, and the run's own events
/// and output arriving in between, with answers to the commands the console asks for.
///
/// Whatever comes, the console must neither trap nor lose its bearings: after every message
/// its selection names a step, and every frame is drawn whole at the size it was asked for.
/// Seeded (SplitMix64), so a failure replays exactly.
@Suite struct ConsoleFuzzTests {
    static let demoFolder = ConsoleEndToEndTests.root + "/demo"

    /// Every demo, and a 600-step graph of the size that the console draws as a neighbourhood.
    static var workflows: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: demoFolder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted() + [large]
    }

    static let large = "600 generated steps"

    private static func workflow(_ name: String) throws -> Workflow {
        guard name == large else { return try WorkflowLoader.load(contentsOf: demoFolder + "/" + name) }
        var random = SplitMix64(seed: 600)
        let steps = (0..<600).map { index in
            let needs = index < 10 ? [] : (0..<random.within(1...3)).map { _ in "s\(random.below(index))" }
            return Step(id: "s\(index)", run: "true", needs: Array(Set(needs)).sorted())
        }
        return Workflow(name: "large", steps: steps)
    }

    /// Keys an operator, a cat on the keyboard or a confused terminal might send.
    static let keys: [Key] = {
        var keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab,
                           .backspace, .delete, .insert, .function(1), .function(5), .function(12)]
        keys += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".map { .character($0) }
        keys += "éß漢字🙂\u{301}\u{200B}\u{202E}".map { .character($0) }
        keys += "abcdefghijklmnopqrstuvwxyz\\]^_ ".map { .control($0) }
        return keys
    }()

    static let pastes = ["INC-42 cold cache", "two\nlines\n", "\u{1B}[31mred\u{1B}[0m\tand\ttabs", "", String(repeating: "long ", count: 400), "漢字 🙂 e\u{301}"]

    /// The run's next event, chosen so that it applies: a step moves on from where it stands.
    private static func nextEvent(for state: AppState, _ random: inout SplitMix64) -> RunEvent? {
        let steps = state.run.steps
        guard !steps.isEmpty else { return nil }
        let record = steps[random.below(steps.count)]
        switch record.state {
        case .pending, .blocked:
            return random.chance(20) ? .step(record.id, .skipped, reason: "skipped by fuzz") : .step(record.id, .running, attempt: 1)
        case .running:
            let endings: [StepState] = [.succeeded, .failed, .waiting]
            let next = random.pick(endings)
            return .step(record.id, next, exitCode: next == .failed ? 1 : next == .succeeded ? 0 : nil,
                         reason: next == .waiting ? "waiting for approval by any operator" : next == .failed ? "exited with code 1" : nil)
        case .waiting:
            return .step(record.id, random.chance(50) ? .succeeded : .failed, reason: "decided by fuzz")
        case .failed:
            return .step(record.id, .running, attempt: record.attempt + 1)
        default:
            return nil
        }
    }

    private static func message(for state: AppState, _ random: inout SplitMix64) -> ConsoleMessage {
        switch random.below(100) {
        case 0..<55:
            return .key(random.pick(keys))
        case 55..<65:
            let kinds: [MouseEvent.Kind] = [.press, .release, .wheelUp, .wheelDown]
            let event = MouseEvent(random.pick(kinds), button: random.within(0...3),
                                   x: random.within(-2...(state.width + 2)), y: random.within(-2...(state.height + 2)))
            return .mouse(event)
        case 65..<68:
            return .paste(random.pick(pastes))
        case 68..<72:
            let sizes = [(1, 1), (2, 3), (20, 5), (40, 12), (59, 15), (60, 16), (80, 24), (120, 36), (250, 80)]
            let (width, height) = random.chance(50) ? random.pick(sizes) : (random.within(1...250), random.within(1...80))
            return .resize(width: width, height: height)
        case 72..<76:
            return .tick(state.now + Double(random.within(0...90)))
        case 76..<86:
            guard let record = state.run.steps.isEmpty ? nil : state.run.steps[random.below(state.run.steps.count)] else { return .tick(state.now) }
            let text = random.chance(20) ? String(repeating: "x", count: random.within(0...3000)) : "line \(random.next() % 1000) \u{1B}[1mbold\u{1B}[0m"
            return .engine(.output(OutputChunk(stepID: record.id, stream: random.chance(30) ? .stderr : .stdout, bytes: Array((text + "\n").utf8))))
        default:
            guard var event = nextEvent(for: state, &random) else { return .tick(state.now) }
            event.seq = state.run.lastSeq + 1
            event.time = state.now
            return .engine(.event(event))
        }
    }

    /// The console's answers to what an update asked for, as its runner would give them.
    private static func answers(to effects: [ConsoleEffect], _ random: inout SplitMix64) -> [ConsoleMessage] {
        effects.compactMap { effect in
            switch effect {
            case .command(let command):
                return .commandResult(command, random.chance(50) ? .accepted("done") : .refused("refused by fuzz"))
            case .searchLogFile(let search):
                return .logFileSearched(search, nil)
            case .readLogExcerpt(let request):
                return .logExcerptRead(request, nil)
            default:
                return nil
            }
        }
    }

    @Test(arguments: workflows)
    func randomInputNeverTrapsOrLosesTheSelection(_ demo: String) throws {
        let workflow = try Self.workflow(demo)
        let context = ConsoleContext(workflow: workflow)
        var random = SplitMix64(seed: demo.utf8.reduce(UInt64(0)) { $0 &* 31 &+ UInt64($1) })
        var state = AppState(workflow: workflow, user: "alice", width: 120, height: 36, now: 1_000_000)
        var started = RunEvent(seq: 1, time: 1_000_000, kind: .runStarted)
        started.runID = "20261206-120000-fuzz"
        started.workflow = workflow.name
        started.steps = workflow.stepIDs
        _ = ConsoleUpdate.update(&state, .engine(.event(started)), context: context)

        var frames = 0
        var seen = (dialogs: 0, finder: 0, zoomed: 0, quits: 0, focus: Set<Pane>())
        for index in 0..<3_000 {
            let message = Self.message(for: state, &random)
            var pending = [message]
            while !pending.isEmpty {
                let next = pending.removeFirst()
                let effects = ConsoleUpdate.update(&state, next, context: context)
                pending += Self.answers(to: effects, &random)
            }
            if state.dialog != nil { seen.dialogs += 1 }
            if state.finder != nil { seen.finder += 1 }
            if state.zoomed { seen.zoomed += 1 }
            if state.quitting {
                // The runner would end here: carry on, as a console started afresh would.
                seen.quits += 1
                state.quitting = false
            }
            seen.focus.insert(state.focus)
            #expect(workflow.steps.indices.contains(state.selected), "message \(index) (\(message)) left the selection at \(state.selected)")
            if index % 6 == 0 || { if case .resize = message { return true } else { return false } }() {
                let frame = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: index % 2 == 0)
                #expect(frame.width == state.width && frame.height == state.height,
                        "message \(index) (\(message)): a \(state.width)×\(state.height) screen drew \(frame.width)×\(frame.height)")
                frames += 1
            }
        }
        #expect(frames > 400)
        print("ConsoleFuzzTests: \(demo): 3000 messages, \(frames) frames; after \(seen.dialogs) of them a dialog was open, after \(seen.finder) the finder, after \(seen.zoomed) a zoomed pane; \(seen.quits) quits; \(seen.focus.count) panes had the focus")
    }
}
