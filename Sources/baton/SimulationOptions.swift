import ArgumentParser

/// `--simulate` and `--speed`, shared by `baton run` and `baton resume`.
struct SimulationOptions: ParsableArguments {
    @Flag(help: "Play every step's 'simulate:' block instead of running its command.")
    var simulate = false

    @Option(help: "Speed factor for simulated durations (2 = twice as fast, 0 = instant).")
    var speed: Double = 1

    func validate() throws {
        if !(speed >= 0 && speed <= 10_000) { throw ValidationError("--speed must be between 0 and 10000, not \(speed)") }
    }
}
