import ArgumentParser
import BatonEngine

/// `--simulate`, `--speed` and `--seed`, shared by `baton run` and `baton resume`.
struct SimulationOptions: ParsableArguments {
    @Flag(help: "Play every step's 'simulate:' block instead of running its command.")
    var simulate = false

    @Option(help: "Speed factor for simulated durations (2 = twice as fast, 0 = instant).")
    var speed: Double = 1

    @Option(help: "Seed for the failures that 'simulate.failure_chance' injects; the same seed injects the same failures.")
    var seed: UInt64?

    /// The seed to play with: the one given, else a fresh one (which the run's first lines show).
    var resolvedSeed: UInt64 { seed ?? SimulationOptions.fallbackSeed }

    /// One fresh seed per process, so every use of `resolvedSeed` agrees.
    static let fallbackSeed = InjectedFailure.randomSeed()

    func validate() throws {
        try Self.check(speed: speed)
    }

    /// Refuses a speed factor outside 0…10,000.
    static func check(speed: Double) throws {
        if !(speed >= 0 && speed <= 10_000) { throw ValidationError("--speed must be between 0 and 10000, not \(speed)") }
    }
}
