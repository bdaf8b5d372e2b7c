import BatonConsole
import BatonEngine
import BatonTerminal
import Foundation

/// `baton-bench attach RUN_DIR [--times K] [--width W --height H]`: how long `baton attach`
/// takes to its first full frame on a live run, measured in-process without the terminal.
///
/// Each time it does what the attached console does before it first draws the run: connect to
/// the run's host and, meanwhile, read the stored workflow (`RemoteRunClient`), lay out the
/// graph (`ConsoleContext`) while the journal and the logs come in, wait for the snapshot,
/// adopt it and render the whole screen into a buffer. Curses' own start and the bytes to the terminal are
/// left out (the render benchmark and the console benchmark measure those).
enum AttachBench {
    static func run(_ arguments: [String]) async {
        var rest = arguments[...]
        guard let path = rest.popFirst() else { usage() }
        var times = 10
        var width = 200
        var height = 50
        let verbose = rest.contains("--verbose")
        rest.removeAll { $0 == "--verbose" }
        while let flag = rest.popFirst() {
            guard let text = rest.popFirst(), let value = Int(text), value > 0 else { usage() }
            switch flag {
            case "--times": times = value
            case "--width": width = value
            case "--height": height = value
            default: usage()
            }
        }
        let directory = RunDirectory(path: path)
        var milliseconds: [Double] = []
        var steps = 0
        for _ in 0..<times {
            let start = ContinuousClock.now
            let client: RemoteRunClient
            do {
                client = try RemoteRunClient(directory: directory)
            } catch {
                FileHandle.standardError.write(Data("baton-bench: cannot attach to \(path): \(error)\n".utf8))
                exit(1)
            }
            let connected = ContinuousClock.now
            // As `baton attach` does: the console lays the graph out while the run comes in.
            let context = ConsoleContext(workflow: client.workflow, logDirectory: directory.logsPath)
            let laidOut = ContinuousClock.now
            var updates = client.updates().makeAsyncIterator()
            let first = await updates.next()
            guard case .snapshot(let snapshot) = first else {
                FileHandle.standardError.write(Data("baton-bench: the host sent no snapshot: \(String(describing: first))\n".utf8))
                exit(1)
            }
            let snapshotted = ContinuousClock.now
            var state = AppState(workflow: client.workflow, user: client.user, width: width, height: height, now: Date().timeIntervalSince1970)
            state.seat = .attached
            state.graphNaturalSize = context.shownGraph(state).size
            _ = ConsoleUpdate.update(&state, .snapshot(snapshot), context: context)
            let frame = ConsoleView.render(state, context: context, theme: .builtInDark, unicode: true)
            let elapsed = ContinuousClock.now - start
            if verbose {
                print("  connect and load the workflow \(connected - start), graph layout \(laidOut - connected), then the snapshot \(snapshotted - laidOut), adopt and render \(ContinuousClock.now - snapshotted)")
            }
            client.stop()
            precondition(frame.width == width)
            steps = snapshot.state.steps.count
            milliseconds.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        milliseconds.sort()
        let median = milliseconds[milliseconds.count / 2]
        print(String(format: "attach to a live run of %d steps, first full frame at %d×%d: min %.1f ms, median %.1f ms, max %.1f ms (%d times; target 300 ms: %@)",
                     steps, width, height, milliseconds.first!, median, milliseconds.last!, times, median < 300 ? "met" : "MISSED"))
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: baton-bench attach RUN_DIR [--times K] [--width W --height H]\n".utf8))
        exit(2)
    }
}
