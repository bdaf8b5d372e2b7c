/// Secrets that a recorded workflow holds only as `***`.
extension Workflow {
    /// The text the run directory's copy of the workflow holds in place of a secret's value.
    public static let maskedSecret = "***"

    /// The workflow without the `env` entries of secrets that were stored masked, and the names
    /// of those secrets.
    ///
    /// A secret written in the workflow file is kept in the run directory as `***`. Resuming
    /// with that value would run the steps with `***`, so a resume removes such entries and
    /// takes the value from the environment instead.
    public func removingMaskedSecrets() -> (workflow: Workflow, masked: [String]) {
        var masked: Set<String> = []
        func clean(_ env: [String: String]) -> [String: String] {
            env.filter { name, value in
                guard secrets.contains(name), value == Self.maskedSecret else { return true }
                masked.insert(name)
                return false
            }
        }
        let steps = self.steps.map { step in
            var step = step
            step.env = clean(step.env)
            return step
        }
        let workflow = Workflow(
            name: name, description: description, concurrency: concurrency, env: clean(env), secrets: secrets,
            onFailure: onFailure, selfApproval: selfApproval, steps: steps)
        return (workflow, masked.sorted())
    }
}
