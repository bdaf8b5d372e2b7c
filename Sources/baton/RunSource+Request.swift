import BatonEngine

extension RunSource {
    /// The recorded run in `directory` (as `RunLocator` found it) as `baton resume` and `baton
    /// rollback` take it up, with `request` checked against it before anything is written; or,
    /// printed as `baton: cannot <verb>: …`, the exit status that says why not (2, or 3 when the
    /// run cannot be recorded).
    static func takeUp(_ directory: RunDirectory, reopening: Bool, request: ReopenRequest, verb: String) throws -> RunSource {
        let source: RunSource
        switch resume(directory, reopening: reopening) {
        case .success(let found): source = found
        case .failure(let refusal):
            Console.error("baton: cannot \(verb): \(refusal)")
            throw refusal.cannotRecord ? ExitStatus.notRecorded : ExitStatus.invalidInput
        }
        if let refusal = request.refusal(for: source) {
            for line in refusal.split(separator: "\n") { Console.error("baton: run \(source.runID): \(line)") }
            throw ExitStatus.invalidInput
        }
        return source
    }
}
