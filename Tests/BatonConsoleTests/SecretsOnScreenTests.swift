import BatonEngine
import BatonTerminal
import Foundation
import Testing
@testable import BatonConsole

/// No console screen shows a secret: not the graph, the steps table, the log, the details of
/// a step (its command, directory, condition, prompt, outputs, approval comment), its notes or
/// the timeline. The console is built as `ConsoleRunner` builds it, from the engine's
/// `displayWorkflow` and the engine's updates.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct SecretsOnScreenTests {
    static let shared = Task { try await LeakyWorkflow.run() }

    /// The console's state and context for `workflow`, with every update of the run applied.
    static func console(showing workflow: Workflow, _ run: LeakyWorkflow.Run) -> (AppState, ConsoleContext) {
        let context = ConsoleContext(workflow: workflow)
        var state = AppState(workflow: workflow, user: "tester", width: 230, height: 80, now: Date().timeIntervalSince1970)
        state.graphNaturalSize = context.graph.size
        for update in run.updates { _ = ConsoleUpdate.update(&state, .engine(update), context: context) }
        return (state, context)
    }

    /// Every screen of the run an operator can bring up: each step selected, with its details,
    /// its notes or the timeline, the keyboard in each pane.
    static func screens(_ state: AppState, _ context: ConsoleContext) -> [String] {
        var screens: [String] = []
        for index in state.workflow.steps.indices {
            for view in 0..<3 {
                for pane in [Pane.details, .logs] {
                    var shown = state
                    shown.selected = index
                    shown.focus = pane
                    shown.show(.notes, view == 1)
                    shown.show(.timeline, view == 2)
                    let buffer = ConsoleView.render(shown, context: context, theme: .builtInDark, unicode: true)
                    screens.append(buffer.lines.joined(separator: "\n"))
                }
            }
        }
        return screens
    }

    @Test func noScreenShowsASecretAndTheMasksShowWhereTheyWere() async throws {
        let run = try await Self.shared.value
        let (state, context) = Self.console(showing: run.displayWorkflow, run)
        let screens = Self.screens(state, context)
        for screen in screens {
            #expect(LeakyWorkflow.leaks(in: screen).isEmpty, "\(LeakyWorkflow.leaks(in: screen)) on:\n\(screen)")
        }
        // The panes' whole text too, beyond what fits on the screen.
        var texts: [String] = []
        for index in state.workflow.steps.indices {
            var shown = state
            shown.selected = index
            texts += DetailsView(state: shown, plan: context.plan, theme: .builtInDark).lines().map(\.0)
            texts += NotesView(state: shown, plan: context.plan, theme: .builtInDark).lines().map(\.0)
        }
        texts += state.logs.values.flatMap { $0.lines.map(\.text) }
        for text in texts { #expect(LeakyWorkflow.leaks(in: text).isEmpty, "\(LeakyWorkflow.leaks(in: text)) in: \(text)") }
        let all = (screens + texts).joined(separator: "\n")
        #expect(all.contains("in a word x***y"), "the log")
        #expect(all.contains("ok to ship *** and ***"), "the approval comment")
        #expect(all.contains("token=***"), "the outputs")
        #expect(all.contains("split *** end"))
        #expect(all.contains("fatal: ***"))
    }

    @Test func aWorkflowThatWritesItsSecretsInTheFileIsShownMasked() async throws {
        // Baton refuses to run such a file; its texts are masked wherever it is shown, and
        // without the masked copy the check would see the leak.
        let run = try await Self.shared.value
        let workflow = try WorkflowLoader.load(contentsOf: LeakyWorkflow.inTheFilePath)
        let shown = SecretRedactor(workflow: workflow, environment: LeakyWorkflow.environment).redact(workflow)
        let (state, context) = Self.console(showing: shown, run)
        let screens = Self.screens(state, context)
        for screen in screens {
            #expect(LeakyWorkflow.leaks(in: screen).isEmpty, "\(LeakyWorkflow.leaks(in: screen)) on:\n\(screen)")
        }
        var texts: [String] = []
        for index in state.workflow.steps.indices {
            var selected = state
            selected.selected = index
            texts += DetailsView(state: selected, plan: context.plan, theme: .builtInDark).lines().map(\.0)
        }
        let all = (screens + texts).joined(separator: "\n")
        #expect(all.contains("leaky-***"), "the header")
        #expect(all.contains("Print ***"), "the step's name")
        #expect(all.contains("notes: Prints *** and ***"), "the details' notes")
        #expect(all.contains("dir: /nonexistent/***"))
        #expect(all.contains("== '***'"), "the condition")
        #expect(all.contains("approval: Release with ***?"))
        let (raw, rawContext) = Self.console(showing: workflow, run)
        #expect(Set(Self.screens(raw, rawContext).flatMap { LeakyWorkflow.leaks(in: $0) }).contains("Zq9FileTok3nXw"))
    }
}
