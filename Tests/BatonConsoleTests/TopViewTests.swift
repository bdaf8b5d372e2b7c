import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// What `baton top` draws: its rows' texts, the highlight of runs waiting on you, and every
/// terminal size down to nothing.
@Suite struct TopViewTests {
    typealias T = TopTestSupport

    @Test func aRowShowsTheRunsIdWorkflowStateProgressTimeWaitAndStarter() {
        let gate = TopGate(step: "ship", approvers: ["me", "group:ops"], isMine: true)
        let run = T.run("20270101-093000-ab12", live: true, age: 725, status: .waitingForOperator, gates: [gate], done: 3, total: 8, user: "carol")
        let screen = T.screen(T.state([run], width: 140))
        #expect(screen[0].hasPrefix(" baton top · 1 run · 1 live · 1 waits on you (me)"), "\(screen[0])")
        #expect(screen[0].hasSuffix("/state"))
        // What the run waits for takes the room left, so the starter stays at the right edge.
        #expect(screen[1] == "  RUN                   WORKFLOW  STATE                    PROGRESS        ELAPSED  WAITS FOR                                          BY")
        #expect(screen[2] == "! 20270101-093000-ab12  deploy    waiting for an operator  ███░░░░░░░ 3/8  12m05s   approval of 'ship': you may decide                 carol")
    }

    @Test func theCellsSayHowEachKindOfRunStands() {
        let theirs = TopGate(step: "ship", approvers: ["bob", "group:ops"], isMine: false)
        let waiting = T.run("w", live: true, status: .waitingForOperator, gates: [theirs])
        #expect(waiting.waitingText == "approval of 'ship' by bob or group:ops")
        let anyone = TopGate(step: "go", approvers: [], isMine: false)
        #expect(T.run("a", live: true, gates: [anyone]).waitingText == "approval of 'go' by any operator")

        let died = T.run("d", age: 100)
        #expect(died.stateWords == "stopped unexpectedly")
        #expect(died.waitingText == "its Baton is gone: baton resume takes it up")
        #expect(TopRow.mark(died, unicode: true) == "○")
        // Its time stops at the last thing it recorded.
        #expect(TopRow.text(.elapsed, died, now: T.now, unicode: true) == "5s")

        let leftWaiting = T.run("w", finished: true, status: .waitingForOperator)
        #expect(leftWaiting.waitingText == "baton resume takes it up")
        #expect(T.run("i", finished: true, status: .interrupted).waitingText == "baton resume takes it up")
        #expect(T.run("i", live: true, finished: true, status: .interrupted).waitingText == "")

        let finished = T.run("f", finished: true, age: 3 * 3600 + 125, status: .failed, finishedAgo: 60)
        #expect(finished.stateWords == "failed")
        #expect(finished.waitingText == "")
        #expect(TopRow.text(.elapsed, finished, now: T.now, unicode: true) == "3h01m")
        #expect(TopRow.mark(finished, unicode: true) == " ")

        let live = T.run("l", live: true, age: 2 * 86_400 + 3 * 3600 + 59)
        #expect(TopRow.text(.elapsed, live, now: T.now, unicode: true) == "2d03h")
        #expect(TopRow.mark(live, unicode: true) == "●")
        #expect(TopRow.mark(live, unicode: false) == "*")

        let unreadable = TopRun(id: "u", directory: "/state/runs/u", problem: "journal line 1 is not a valid event")
        #expect(unreadable.stateWords == "unreadable")
        #expect(unreadable.waitingText == "journal line 1 is not a valid event")
        #expect(TopRow.text(.progressCount, unreadable, now: T.now, unicode: true) == "–")
        #expect(TopRow.text(.elapsed, unreadable, now: T.now, unicode: true) == "–")
        #expect(TopRow.mark(unreadable, unicode: true) == "?")
    }

    @Test func theProgressBarFillsOnlyWhenEveryStepIsDone() {
        #expect(TopRow.bar(T.run("a", done: 0, total: 3), unicode: true) == "░░░░░░░░░░")
        #expect(TopRow.bar(T.run("a", done: 2, total: 3), unicode: true) == "██████░░░░")
        #expect(TopRow.bar(T.run("a", done: 29, total: 30), unicode: false) == "#########-")
        #expect(TopRow.bar(T.run("a", done: 30, total: 30), unicode: false) == "##########")
        #expect(TopRow.bar(T.run("a", done: 0, total: 0), unicode: false) == "----------")
    }

    @Test func durationsDropSecondsAfterAnHourAndSayWhenTheyNextChange() {
        #expect(TopDuration.text(0) == "0s")
        #expect(TopDuration.text(59.9) == "59s")
        #expect(TopDuration.text(60) == "1m00s")
        #expect(TopDuration.text(3599) == "59m59s")
        #expect(TopDuration.text(3600) == "1h00m")
        #expect(TopDuration.text(86_399) == "23h59m")
        #expect(TopDuration.text(86_400) == "1d00h")
        #expect(TopDuration.text(-5) == "0s")
        #expect(TopDuration.nextChange(after: 12.3) == 13)
        #expect(TopDuration.nextChange(after: 3599.5) == 3600)
        #expect(TopDuration.nextChange(after: 3600) == 3660)
        #expect(TopDuration.nextChange(after: 7250) == 7260)
        #expect(TopDuration.nextChange(after: 90_000) == 93_600)
    }

    @Test func runsWaitingOnYouAreHighlightedAndTheSelectionShows() {
        let mine = TopGate(step: "ship", approvers: ["me"], isMine: true)
        var state = T.state([T.run("mine", live: true, gates: [mine]), T.run("other", live: true, age: 90)])
        state.move(by: 1)
        let buffer = TopView.render(state, theme: Theme.builtInDark, unicode: true)
        let attention = Theme.builtInDark.style(.attention)
        let selection = Theme.builtInDark.style(.selection)
        // The whole row, to the right edge.
        #expect(buffer[10, 2].style == attention)
        #expect(buffer[state.width - 1, 2].style == attention)
        #expect(buffer[10, 3].style == selection)
        #expect(buffer[state.width - 1, 3].style == selection)
    }

    @Test func narrowTerminalsKeepTheRunIdAndItsStateAndDropTheRest() {
        let gate = TopGate(step: "ship", approvers: ["bob"], isMine: false)
        let runs = [T.run("20270101-093000-ab12", live: true, gates: [gate], workflow: "a-rather-long-workflow-name"), T.run("20270101-080000-cd34", finished: true, age: 4000)]
        var previous = Int.max
        for width in stride(from: 160, through: TopLayout.minimumWidth, by: -7) + [TopLayout.minimumWidth] {
            let state = T.state(runs, width: width, height: 10)
            let screen = T.screen(state)
            let columns = TopColumns(width: width, runs: state.runs)
            #expect(columns.columns.count <= previous, "columns come back as the terminal narrows, at \(width)")
            previous = columns.columns.count
            #expect(screen.allSatisfy { TextWidth.of($0) <= width })
            #expect(screen[2].contains("20270101-093000-ab12"), "at \(width): \(screen[2])")
            #expect(screen[3].contains("20270101-080000-cd34 "), "at \(width): \(screen[3])")
            #expect(screen[3].contains("succe"), "at \(width): \(screen[3])")
            #expect(columns.shows(.run) && columns.shows(.state))
            #expect(screen.last?.hasPrefix("j/k select") == true, "at \(width): \(screen.last ?? "")")
        }
        #expect(TopColumns(width: 160, runs: runs).shows(.user))
        #expect(!TopColumns(width: 60, runs: runs).shows(.progressBar))
    }

    @Test func aTerminalTooSmallSaysSoAtEverySizeDownToNothing() {
        let runs = (0..<30).map { T.run("20270101-0900\(String(format: "%02d", $0))-abcd", live: $0 % 3 == 0, age: Double($0) * 10) }
        for width in [0, 1, 2, 5, 10, 20, 33, 34, 40] {
            for height in [0, 1, 2, 3, 5, 6, 7] {
                var state = T.state(runs, width: width, height: height)
                state.move(by: 20)
                state.help = Dialog(kind: .help, title: "baton top — keys", lines: TopHelpText.lines(keymap: .standard, user: "me"))
                let buffer = TopView.render(state, theme: Theme.builtInDark, unicode: true)
                #expect(buffer.width == width && buffer.height == height)
                let tooSmall = width < TopLayout.minimumWidth || height < TopLayout.minimumHeight
                if tooSmall && width >= 30 && height >= 3 {
                    #expect(buffer.lines.contains { $0.contains("terminal too small (need 34×6)") }, "\(width)×\(height)")
                }
                if !tooSmall {
                    #expect(!buffer.lines.joined().contains("too small"))
                }
            }
        }
    }

    @Test func aLongListScrollsToKeepTheSelectionOnScreen() {
        let runs = (0..<40).map { T.run(String(format: "run-%02d", $0), live: true, age: Double($0 + 1)) }
        var state = T.state(runs, width: 80, height: 10)
        #expect(state.visibleRows == 6)
        state.move(by: 10)
        var screen = T.screen(state)
        #expect(screen[2...7].map { String($0.dropFirst(2).prefix(6)) } == ["run-05", "run-06", "run-07", "run-08", "run-09", "run-10"])
        state.move(by: -100)
        screen = T.screen(state)
        #expect(screen[2].dropFirst(2).hasPrefix("run-00"))
        // Growing the terminal shows more rows and never leaves blank ones under the last run.
        _ = TopUpdate.update(&state, .key(.end))
        _ = TopUpdate.update(&state, .resize(width: 80, height: 50))
        screen = T.screen(state)
        #expect(screen[2].dropFirst(2).hasPrefix("run-00"))
        #expect(screen[41].dropFirst(2).hasPrefix("run-39"))
    }

    @Test func textFromJournalsIsEscapedAndASCIITerminalsGetASCII() {
        let hostile = T.run("evil\u{1B}[2J", live: true, workflow: "wf\u{7}", user: "x\u{202E}y")
        let screen = T.screen(T.state([hostile]), unicode: false)
        #expect(screen[2].contains("evil\\e[2J"))
        #expect(screen[2].contains("wf\\a"))
        #expect(screen[2].contains("x\\u{202E}y"))
        #expect(screen.joined().unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func anEmptyStateDirectorySaysWhereNewRunsWillShow() {
        var state = TopState(user: "me", stateDirectory: "/state", width: 100, height: 10, now: T.now)
        #expect(T.screen(state)[2] == "  reading the runs in /state/runs…")
        state.loaded = true
        #expect(T.screen(state)[2] == "  no runs recorded in /state/runs yet; new runs show here as they start")
        state.watchNotice = "no runs folder at /state/runs yet: watching for it"
        #expect(T.screen(state)[8] == "no runs folder at /state/runs yet: watching for it")
    }
}
