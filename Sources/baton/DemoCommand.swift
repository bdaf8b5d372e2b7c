import ArgumentParser
import BatonEngine
import Foundation

/// `baton demo`: runs the flagship three-tier deploy demo, simulated and safe on any machine.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the flagship demo: a simulated three-tier deploy with a retry, an approval gate and rollback."
    )

    @Option(help: "Speed factor for the simulated durations (2 = twice as fast, 0 = instant).")
    var speed: Double = 1

    @OptionGroup var options: RunOptions

    func validate() throws {
        if !(speed >= 0 && speed <= 10_000) { throw ValidationError("--speed must be between 0 and 10000, not \(speed)") }
    }

    func run() async throws {
        guard let path = DemoLocator.path(for: "three-tier-deploy") else {
            Console.error("baton: cannot find demo/three-tier-deploy.yaml; run baton from the project folder or set BATON_DEMO_DIR")
            throw ExitStatus.invalidInput
        }
        let workflow: Workflow
        do {
            workflow = try WorkflowLoader.load(contentsOf: path)
        } catch {
            for problem in error.problems { Console.error("\(problem)") }
            throw ExitStatus.invalidInput
        }
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        if options.wantsConsole {
            let theme = try ConsoleSession.theme(named: options.theme)
            throw ExitCode(await ConsoleSession(options: options, simulate: true, speed: speed).run(.new(workflow, text: text, stateDir: options.stateDir), theme: theme))
        }
        let runner = HeadlessRunner(options: options, simulate: true, speed: speed)
        throw ExitCode(await runner.run(.new(workflow, text: text, stateDir: options.stateDir)))
    }
}

/// Finds the demo workflows: `$BATON_DEMO_DIR`, `./demo`, or a `demo` folder above the executable.
enum DemoLocator {
    static func path(for name: String) -> String? {
        var candidates: [String] = []
        if let directory = ProcessInfo.processInfo.environment["BATON_DEMO_DIR"], !directory.isEmpty {
            candidates.append(directory)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/demo")
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent("demo").path)
            folder.deleteLastPathComponent()
        }
        for directory in candidates {
            let path = "\(directory)/\(name).yaml"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }
}
