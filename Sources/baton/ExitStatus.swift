import ArgumentParser
import BatonEngine

/// The exit statuses `baton` promises: 0 succeeded, 1 failed, 2 invalid input, 3 the run
/// could not be recorded, 130 interrupted.
enum ExitStatus {
    static let succeeded = ExitCode(0)
    static let failed = ExitCode(1)
    static let invalidInput = ExitCode(2)
    /// A journal or log write failed (full disk, I/O error, file size limit, a removed run
    /// directory): the run stopped starting steps and can be resumed once the cause is fixed.
    static let notRecorded = ExitCode(3)
    static let interrupted = ExitCode(130)

    /// The exit status of a run that ended with `outcome`, or that could not be recorded.
    static func of(_ outcome: RunOutcome, recordingFailure: JournalError?) -> ExitCode {
        recordingFailure == nil ? ExitCode(outcome.exitStatus) : notRecorded
    }
}

extension ExitCode {
    /// The exit status for how a run ended.
    init(_ outcome: RunOutcome) {
        self.init(outcome.exitStatus)
    }
}
