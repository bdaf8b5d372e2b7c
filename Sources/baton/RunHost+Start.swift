import BatonEngine

extension RunHost {
    /// Serves the live run to other terminals (`baton approve RUN STEP` and the other verbs);
    /// a host that cannot start is said on stderr and the run goes on without it.
    static func start(serving engine: Engine, in directory: RunDirectory) -> RunHost? {
        do {
            return try RunHost(serving: engine, in: directory)
        } catch {
            Console.error("baton: warning: other terminals cannot act on this run: \(error)")
            return nil
        }
    }
}
