/// What changed in a state directory's runs since the last look (`RunsWatcher.drain()`).
public struct RunsChanges: Sendable, Hashable {
    /// Look at everything again: the kernel's queue overflowed, or the runs folder (or a folder
    /// above it) appeared, vanished or moved.
    public var rescan = false
    /// Run directories that appeared.
    public var added: Set<String> = []
    /// Run directories that went away (deleted, or moved out of the runs folder).
    public var removed: Set<String> = []
    /// Runs whose journal appeared, grew, was cut, replaced or removed.
    public var journals: Set<String> = []
    /// Runs whose liveness may have changed: the host's socket came or went, or a writer of the
    /// journal closed it (its Baton ended, or died).
    public var hosts: Set<String> = []

    public init() {}

    public var isEmpty: Bool { !rescan && added.isEmpty && removed.isEmpty && journals.isEmpty && hosts.isEmpty }
}
