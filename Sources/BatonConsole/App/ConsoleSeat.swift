/// Where a console sits: in the Baton that runs the run, or attached to it from elsewhere.
public enum ConsoleSeat: Sendable, Hashable {
    /// The console of `baton run` or `baton resume`: quitting stops what runs.
    case host
    /// `baton attach`: quitting only detaches.
    case attached
    /// `baton attach --read-only`: a view with no actions.
    case attachedReadOnly

    public var isAttached: Bool { self != .host }
}
