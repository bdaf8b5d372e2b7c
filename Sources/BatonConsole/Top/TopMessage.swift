import BatonTerminal

/// Everything that changes `baton top`'s state: keys, the mouse, resizes, the clock, and what `TopFeed`
/// read from disk.
public enum TopMessage: Sendable {
    case key(Key)
    /// A click or a turn of the wheel (`TopUpdate+Mouse`).
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    case tick(Double)
    /// Runs that appeared or changed.
    case runs([TopRun])
    /// Runs whose directories went away.
    case removed(Set<String>)
    /// The first reading of every run is over.
    case loaded
    /// What keeps the watch from being complete, or nil once everything is watched.
    case watchNotice(String?)
    /// A program run on the terminal (`baton attach`, `baton replay`) ended: what to say about it.
    case childEnded(String, isError: Bool)
}
