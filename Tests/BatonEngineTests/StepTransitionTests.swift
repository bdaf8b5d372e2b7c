import Testing
@testable import BatonEngine

@Suite struct StepTransitionTests {
    @Test func everyStateHasARow() {
        for state in StepState.allCases {
            #expect(StepTransitions.table[state] != nil, "no row for \(state)")
        }
    }

    @Test func legalAndIllegalMoves() {
        #expect(StepTransitions.allows(.pending, .running))
        #expect(StepTransitions.allows(.running, .suspended))
        #expect(StepTransitions.allows(.succeeded, .rollingBack))
        #expect(!StepTransitions.allows(.pending, .succeeded))
        #expect(!StepTransitions.allows(.skipped, .running))
        #expect(!StepTransitions.allows(.succeeded, .running))
        #expect(!StepTransitions.allows(.rolledBack, .succeeded))
    }

    @Test func foldRejectsAnIllegalTransitionAndKeepsItsState() throws {
        var state = RunState()
        var started = RunEvent(seq: 1, kind: .runStarted)
        started.steps = ["a"]
        try state.apply(started)
        var done = RunEvent.step("a", .succeeded)
        done.seq = 2
        #expect(throws: RunFoldError.self) { try state.apply(done) }
        #expect(state["a"]?.state == .pending)
        #expect(state.lastSeq == 1)
    }

    @Test func foldRejectsGapsAndUnknownSteps() throws {
        var state = RunState()
        var started = RunEvent(seq: 1, kind: .runStarted)
        started.steps = ["a"]
        try state.apply(started)
        var gap = RunEvent.step("a", .running)
        gap.seq = 3
        #expect(throws: RunFoldError.self) { try state.apply(gap) }
        var unknown = RunEvent.step("zzz", .running)
        unknown.seq = 2
        #expect(throws: RunFoldError.self) { try state.apply(unknown) }
    }
}
