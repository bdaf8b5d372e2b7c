import BatonEngine

extension ConsoleUpdate {
    /// Shows the run as a snapshot has it, in place of what the console showed: the fold,
    /// the timeline, the logs and what needs an operator's eye. The selection and the panes
    /// stay as they were.
    static func adopt(_ snapshot: RunSnapshot, in state: inout AppState, context: ConsoleContext) {
        state.run = snapshot.state
        _ = adoptExpansions(&state)
        state.timeline = RunTimeline(workflow: state.workflow, events: snapshot.events)
        state.logs = [:]
        for (step, lines) in snapshot.logs {
            var log = StepLog()
            for line in lines { log.append(line) }
            state.logs[step] = log
        }
        state.attention = snapshot.state.steps.compactMap { record in
            attentionNote(step: record.id, state: record.state).map { Attention(step: record.id, text: $0) }
        }
        recomputeMatches(&state)
        refreshDialog(&state, context: context)
    }

    /// Takes in that an attached console's run host closed the run or went away: the console
    /// stays open on the run as it last stood, and says what to do next.
    static func end(_ ending: ClientEnding, in state: inout AppState) -> [ConsoleEffect] {
        guard state.seat.isAttached else { return [] }
        state.hostEnding = ending
        switch ending {
        case .closed:
            state.status = StatusLine("the run is no longer live (\(state.run.status.words)); q leaves", isError: false, time: state.now)
            return []
        case .hostGone(let text):
            state.status = StatusLine("DETACHED: \(text) · q leaves", isError: true, time: state.now)
            return [.bell]
        }
    }
}
