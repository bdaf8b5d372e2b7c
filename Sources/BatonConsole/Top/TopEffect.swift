/// What `TopUpdate` asks the runner to do: give the terminal to another `baton` command, or quit.
public enum TopEffect: Sendable, Hashable {
    /// Runs `baton` with these arguments on the terminal (`attach DIR`, `replay DIR --speed 0`)
    /// and comes back when it ends; `runID` names the run in what is said afterwards.
    case handOver(runID: String, arguments: [String])
    case quit
}
