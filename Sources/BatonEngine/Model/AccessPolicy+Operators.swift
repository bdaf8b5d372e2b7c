import Foundation

extension AccessPolicy {
    /// Whether `user` is an operator of a run: the rule the engine enforces (`Engine.isOperator`),
    /// readable without an engine, so `baton top` can tell a gate that names no approvers, which
    /// only operators decide, waits on the person at its screen.
    ///
    /// The user who started the run (`starter`) and the one whose Baton runs it now (`runner`)
    /// are operators; so are those `operators` names, or without it the members of the run
    /// directory's group (`runDirectoryGroup`). A run not `recorded` has no socket, and without
    /// `operators` anyone its own front ends name is an operator.
    public func isOperator(
        _ user: String, starter: String, runner: String, runDirectoryGroup: String?, recorded: Bool, directory: any UserDirectory
    ) -> Bool {
        if user == starter || user == runner { return true }
        if operators == nil && !recorded { return true }
        let entries = operatorEntries(runDirectoryGroup: runDirectoryGroup)
        guard !entries.isEmpty else { return false }
        let groups = ApprovalGate.mentionsGroups(entries) ? directory.groups(of: user) : []
        return ApprovalGate.names(user, groups: groups, in: entries)
    }

    /// The entries `isOperator` checks besides the starter and the runner: `operators`, or the
    /// run directory's group.
    public func operatorEntries(runDirectoryGroup: String?) -> [String] {
        if let operators { return operators }
        return runDirectoryGroup.map { [ApprovalGate.groupPrefix + $0] } ?? []
    }

    /// The name of the group that owns the folder at `path`, or nil when it cannot be looked at.
    public static func group(ofDirectory path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return SystemUserDirectory.groupName(info.st_gid)
    }
}
