import BatonEngine

/// Baton's version, the one place it is written, and what `baton --version` prints.
enum BatonVersion {
    /// The release: raise it when a release is made.
    static let release = "0.1.0"

    /// The `--version` text: the release, and the journal format this binary writes (it reads
    /// every earlier one), which says whether another baton can resume or replay its runs.
    static var text: String {
        "baton \(release)\njournal format \(RunEvent.formatVersion)"
    }
}
