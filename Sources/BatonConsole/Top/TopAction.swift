/// What a key does in `baton top` (`TopKeymap` binds the keys).
public enum TopAction: Sendable, Hashable {
    case up, down, pageUp, pageDown, first, last, open, help, quit
}
