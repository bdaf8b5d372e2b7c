import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The audit pane: who did what, refusals marked, following the newest entry, and the `A` key.
@Suite struct AuditViewTests {
    typealias S = ConsoleTestSupport
    let theme = Theme.builtInDark

    /// A run whose gate was refused to mallory, escalated by its timeout, then approved by alice.
    private func decidedRun() -> AppState {
        var escalation = RunEvent(kind: .approvalTimedOut)
        escalation.step = "gate"
        escalation.reason = "no decision within 30m"
        escalation.approvers = ["group:sre"]
        return S.state([
            S.step("gate", .waiting, reason: "waiting for approval by alice or bob"),
            .command("approve", step: "gate", user: "mallory", comment: "trust me", accepted: false,
                     reason: "cannot approve 'gate': mallory is not among its approvers (alice, bob)"),
            escalation,
            .command("approve", step: "gate", user: "alice", comment: "checked the diff", accepted: true),
        ])
    }

    private func render(_ view: AuditView, width: Int = 110, height: Int = 6) -> Buffer {
        var buffer = Buffer(width: width, height: height)
        view.render(into: &buffer, area: buffer.area)
        return buffer
    }

    @Test func eachEntrySaysWhoWhatWhichStepAndTheVerdict() {
        let state = decidedRun()
        #expect(state.run.audit.map(\.action) == ["start run", "approve", "gate escalated", "approve"])
        // One row an entry, long reasons cut (wrapping is tested with the small screen fixes).
        let buffer = render(AuditView(entries: state.run.audit, top: nil, theme: theme, unicode: true, wrap: false), height: 7)
        #expect(buffer.lines[0].hasPrefix("TIME     "))
        #expect(buffer.lines[0].contains("USER") && buffer.lines[0].contains("COMMENT / REASON"))
        let refused = buffer.lines[2]
        #expect(refused.contains("✘ mallory approve"))
        #expect(refused.contains("gate"))
        #expect(refused.contains("“trust me” — cannot approve 'gate': mallory is not among its approvers"))
        #expect(buffer[0, 2].style == theme.style(.state(.failed)), "a refusal stands out")
        #expect(buffer.lines[3].contains("· baton") && buffer.lines[3].contains("gate escalated"))
        #expect(buffer.lines[3].contains("no decision within 30m; escalated to group:sre"))
        #expect(buffer.lines[4].contains("✔ alice") && buffer.lines[4].contains("“checked the diff”"))
        #expect(buffer[0, 4].style == theme.style(.text))
        #expect(buffer.lines[5].trimmingCharacters(in: .whitespaces).isEmpty)
    }

    /// The comment column's heading narrows with the pane, and ends with "…" when it is cut.
    @Test func theCommentHeadingNarrowsWithThePane() {
        let state = decidedRun()
        func heading(_ width: Int) -> String {
            render(AuditView(entries: state.run.audit, top: nil, theme: theme, unicode: true, wrap: false), width: width).lines[0]
        }
        #expect(heading(110).hasSuffix(" COMMENT / REASON"), "\(heading(110))")
        let detailX = heading(110).count - "COMMENT / REASON".count
        #expect(heading(detailX + 10).hasSuffix(" COMMENT"), "\(heading(detailX + 10))")
        #expect(heading(detailX + 4).hasSuffix(" COM…"), "\(heading(detailX + 4))")
        #expect(heading(detailX - 3).hasSuffix("…"), "\(heading(detailX - 3))")
    }

    @Test func longTrailsFollowTheNewestUnlessScrolledAndAsciiHasNoSymbols() {
        var events: [RunEvent] = []
        for number in 1...20 {
            events.append(.command("hold", step: "ship", user: "user\(number)", accepted: number % 2 == 0, reason: "r\(number)"))
        }
        let state = S.state(events)
        let newest = render(AuditView(entries: state.run.audit, top: nil, theme: theme, unicode: true), height: 5)
        #expect(newest.lines[4].contains("user20"))
        #expect(newest.lines[1].contains("user17"))
        let oldest = render(AuditView(entries: state.run.audit, top: 0, theme: theme, unicode: false), height: 5)
        #expect(oldest.lines[1].contains("- ?") && oldest.lines[1].contains("start run"))
        #expect(oldest.lines[2].contains("x user1 "))
        #expect(oldest.lines[3].contains("v user2 "))
        #expect(AuditView.title(for: state.run.audit, following: true) == "Audit — 21 entries, 10 refused (follow) — A shows the log")
    }

    @Test func theAKeySwapsTheLogPaneForTheTrailAndScrollsIt() {
        var state = decidedRun()
        _ = S.update(&state, .key(.character("A")))
        #expect(state.showsAudit)
        let screen = S.screen(state).lines.joined(separator: "\n")
        #expect(screen.contains("Audit — 4 entries, 1 refused (follow) — A shows the log"))
        #expect(screen.contains("mallory approve"))
        #expect(!screen.contains("Log: gate"))

        state.focus = .logs
        _ = S.update(&state, .key(.character("g")))
        #expect(state.panes.audit.top == 0 || state.panes.audit.follows, "a trail shorter than the pane has nowhere to scroll")
        _ = S.update(&state, .key(.character("A")))
        #expect(!state.showsAudit)
        #expect(S.screen(state).lines.joined(separator: "\n").contains("Log: "))
    }

    @Test func scrollingUpStopsFollowingAndTheBottomFollowsAgain() {
        var events: [RunEvent] = []
        for number in 1...60 { events.append(.command("pause", user: "u\(number)", accepted: false, reason: "no")) }
        var state = S.state(events)
        _ = S.update(&state, .key(.character("A")))
        state.focus = .logs
        _ = S.update(&state, .key(.up))
        #expect(!state.panes.audit.follows && state.panes.audit.top > 0, "one row up from the newest entries")
        _ = S.update(&state, .key(.character("g")))
        #expect(!state.panes.audit.follows && state.panes.audit.top == 0)
        #expect(S.screen(state).lines.joined(separator: "\n").contains("(paused scroll)"))
        _ = S.update(&state, .key(.character("G")))
        #expect(state.panes.audit.follows)
    }

    @Test func aHostileCommentIsShownEscaped() {
        let state = S.state([.command("hold", step: "ship", user: "mallory", comment: "\u{1B}]0;pwned\u{7}\u{1B}[2J", accepted: true)])
        let buffer = render(AuditView(entries: state.run.audit, top: nil, theme: theme, unicode: true))
        #expect(buffer.lines[2].contains("“\\e]0;pwned\\a\\e[2J”"), "\(buffer.lines[2])")
        #expect(!buffer.lines.joined().unicodeScalars.contains { $0.value < 0x20 })
    }
}
