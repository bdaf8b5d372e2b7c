/// Step commands whose processes try to outlive being stopped, for the orphan tests.
///
/// Every tree has background children, `sleep` grandchildren, processes that ignore SIGTERM,
/// and children that call `setsid` and so leave the step's process group (Baton finds those
/// by the `BATON_*` variables in their environment). Each tree prints `ready` once everything
/// is started, and then waits. The engine tests run each as a step; the console tests write
/// them into a workflow file (`StubbornWorkflow`).
public enum StubbornProcessTree: String, CaseIterable, Sendable {
    /// The step's shell ignores SIGTERM, and so does everything it starts: only SIGKILL helps.
    case shellIgnoresTerm
    /// The shell dies of SIGTERM, but children that ignore it live on and keep its stdout
    /// and stderr open.
    case childrenIgnoreTerm

    public var command: String {
        switch self {
        case .shellIgnoresTerm:
            return """
                trap '' TERM
                sleep 300 &
                sh -c 'sleep 300 & wait' &
                (sleep 300 & wait) &
                setsid sleep 300 &
                setsid sh -c 'sleep 300 & wait' &
                echo ready
                wait
                """
        case .childrenIgnoreTerm:
            return """
                sh -c "trap '' TERM; sleep 300" &
                (trap '' TERM; sleep 300 & wait) &
                setsid sh -c "trap '' TERM; sleep 300" &
                sleep 300 &
                echo ready
                wait
                """
        }
    }

    /// How many processes the tree has once it is all started, its shell included.
    public var processCount: Int {
        switch self {
        case .shellIgnoresTerm: return 9
        case .childrenIgnoreTerm: return 8
        }
    }
}
