/// How far a headless run's printer has got through the journal's events, so that a question
/// or a notice about where the run stands comes after the lines that show how it got there.
///
/// The engine publishes an event once it is durable, after the run may already have settled
/// on it: the runner waits here for the printer to catch up before it asks or says anything.
actor PrintedEvents {
    private var printed = 0
    private var ended = false
    private var waiters: [(seq: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// The event with sequence number `seq` has been printed.
    func reached(_ seq: Int) {
        printed = max(printed, seq)
        wake()
    }

    /// No more events will come, or they may never come (the engine's updates ended, or a
    /// write failed): nobody waits any longer.
    func end() {
        ended = true
        wake()
    }

    /// Returns once the event numbered `seq` has been printed, or no more events will come.
    func wait(until seq: Int) async {
        guard printed < seq, !ended else { return }
        await withCheckedContinuation { waiters.append((seq, $0)) }
    }

    private func wake() {
        let ready = waiters.filter { ended || $0.seq <= printed }
        waiters.removeAll { ended || $0.seq <= printed }
        for waiter in ready { waiter.continuation.resume() }
    }
}
