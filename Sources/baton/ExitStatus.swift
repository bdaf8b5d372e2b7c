import ArgumentParser
import BatonEngine

/// The exit statuses `baton` promises: 0 succeeded, 1 failed, 2 invalid input, 130 interrupted.
enum ExitStatus {
    static let succeeded = ExitCode(0)
    static let failed = ExitCode(1)
    static let invalidInput = ExitCode(2)
    static let interrupted = ExitCode(130)
}

extension ExitCode {
    /// The exit status for how a run ended.
    init(_ outcome: RunOutcome) {
        self.init(outcome.exitStatus)
    }
}
