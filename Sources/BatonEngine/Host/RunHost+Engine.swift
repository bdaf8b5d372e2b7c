extension RunHost {
    /// Serves `engine`'s run at its run directory's socket: commands go to `Engine.perform`
    /// as the peer's user, a status is the fold's status and what the run waits on, and a
    /// watcher gets the journal and then every event the engine publishes.
    public convenience init(serving engine: Engine, in directory: RunDirectory) throws(HostError) {
        try self.init(
            path: directory.hostSocketPath, runID: engine.runID,
            perform: { command, user in await engine.perform(command, by: user) },
            status: {
                let state = await engine.state
                return (state.status.rawValue, state.operatorWait?.reasons ?? [])
            },
            role: { user in await engine.role(of: user) },
            journal: directory, updates: engine.fanOut)
    }
}
