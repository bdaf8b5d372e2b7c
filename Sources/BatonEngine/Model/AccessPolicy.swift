/// Who may watch a run and who may act on it (a workflow's `access:`); who may decide a gate
/// is the gate's own `approvers`.
///
/// Entries are user names and groups written `group:NAME`, as for approvers. The user who
/// started the run is always an operator: they own its process and could stop it anyway.
public struct AccessPolicy: Sendable, Hashable {
    /// Who may attach and watch the run, read-only unless they are also operators or
    /// approvers; nil: anyone who can reach the run's socket (its directory's owner and group).
    public var viewers: [String]?
    /// Who may pause, continue, retry, skip, hold, release, suspend, cancel and roll back, and
    /// decide a gate that names no approvers; nil: the starter and the members of the run
    /// directory's group.
    public var operators: [String]?

    public init(viewers: [String]? = nil, operators: [String]? = nil) {
        self.viewers = viewers
        self.operators = operators
    }
}

/// What a user may do with a run, beyond the gates their name is on.
public enum RunRole: String, Sendable, Hashable, Codable {
    /// Watches; acts on nothing but the gates they are an approver of.
    case viewer
    /// Acts on the run and its steps.
    case `operator`
}
