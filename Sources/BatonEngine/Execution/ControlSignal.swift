/// A signal the engine sends to a running step's process group.
public enum ControlSignal: String, Sendable, Hashable {
    /// SIGSTOP: freeze every process of the group.
    case suspend
    /// SIGCONT: let a frozen group go on.
    case resume
    /// SIGTERM: ask the group to stop.
    case terminate
    /// SIGKILL: stop the group at once.
    case kill
}
