extension ApprovalGate {
    /// When the current wait of a gate in `record` runs out, in seconds since 1970: the start of
    /// its wait (its opening, or its escalation) plus `timeout`; nil when it does not wait or
    /// has no timeout. The engine's timer and every front end's countdown use this.
    public func deadline(of record: StepRecord) -> Double? {
        guard record.state == .waiting, let timeout, let since = record.waitingSince else { return nil }
        return since + timeout.inSeconds
    }
}
