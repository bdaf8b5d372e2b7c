import ArgumentParser
import BatonConsole
import BatonEngine
import Foundation

/// `baton demo [NAME]`: runs one of the teaching demos built into baton (the repository's
/// `demo/`), or of `$BATON_DEMO_DIR`, simulated and safe on any machine.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a teaching demo (the three-tier deploy unless NAME is given); --list shows them all.",
        discussion: """
            Every demo is simulated: nothing is installed or contacted. Each step's notes explain
            the orchestration idea it shows; press i in the console to read them. The demos are
            built into baton; BATON_DEMO_DIR names a folder of .yaml demos to use instead.
            """
    )

    /// The demo `baton demo` runs when given no name.
    static let flagship = "three-tier-deploy"

    @Argument(help: "The demo to run (see --list).")
    var name: String?

    @Flag(help: "List the demos with a one-line description.")
    var list = false

    @Option(help: "Speed factor for the simulated durations (2 = twice as fast, 0 = instant).")
    var speed: Double = 1

    @Option(help: "Seed for the injected failures (simulate.failure_chance); the same seed plays the same failures.")
    var seed: UInt64?

    @OptionGroup var options: RunOptions

    func validate() throws {
        try SimulationOptions.check(speed: speed)
        if list && name != nil { throw ValidationError("--list takes no demo name") }
    }

    func run() async throws {
        let found: DemoLocator.Found
        switch DemoLocator.demos() {
        case .success(let result): found = result
        case .failure(let error):
            Console.error("baton: \(error)")
            throw ExitStatus.invalidInput
        }
        let demos = found.demos
        if list {
            Console.out(Self.listing(demos, origin: found.origin))
            return
        }
        // A bad config file stops the console before anything is recorded.
        let config = options.wantsConsole ? try ConsoleSession.loadConfig() : ConsoleConfig.defaults
        let wanted = name ?? Self.flagship
        guard let demo = demos.first(where: { $0.name == wanted }) else {
            let known = demos.map(\.name)
            let hint = Suggestion.closest(to: wanted, among: known).map { "did you mean '\($0)'? " } ?? ""
            Console.error("baton: there is no demo '\(wanted)'; \(hint)the demos are: \(known.joined(separator: ", "))")
            throw ExitStatus.invalidInput
        }
        var source: RunSource
        do {
            source = try RunSource.new(demo.definition.get(), file: demo.file, calledFileName: demo.calledFileName, stateDir: options.stateDir)
        } catch {
            for problem in error.problems { Console.error("\(problem)") }
            throw ExitStatus.invalidInput
        }
        do {
            try source.setParameters(options.params)
        } catch {
            for problem in error.problems { Console.error("baton: demo \(demo.name): \(problem)") }
            throw ExitStatus.invalidInput
        }
        let seed = self.seed ?? SimulationOptions.fallbackSeed
        if options.wantsConsole {
            let theme = try ConsoleSession.theme(flag: options.theme, config: config)
            let session = ConsoleSession(options: options, config: config, simulate: true, speed: speed, seed: seed, followsByDefault: true)
            throw await session.run(source, theme: theme)
        }
        let runner = HeadlessRunner(options: options, simulate: true, speed: speed, seed: seed)
        throw await runner.run(source)
    }

    /// The `--list` text: where the demos come from, and each demo's name and the first
    /// sentence of its description.
    static func listing(_ demos: [DemoLocator.Demo], origin: String) -> String {
        let width = demos.map(\.name.count).max() ?? 0
        var lines = ["Demos \(origin) (baton demo NAME runs one; the first is the default):"]
        let ordered = demos.filter { $0.name == flagship } + demos.filter { $0.name != flagship }
        for demo in ordered {
            let padding = String(repeating: " ", count: max(0, width - demo.name.count))
            lines.append("  \(demo.name)\(padding)  \(demo.summary)")
        }
        return lines.joined(separator: "\n")
    }
}
