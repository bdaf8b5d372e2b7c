import BatonEngine
import Foundation

/// Turns what a person typed (a run id or a path) into a run directory.
enum RunLocator {
    static func directory(for reference: String, stateDir: String?) -> RunDirectory {
        if reference.contains("/") || FileManager.default.fileExists(atPath: "\(reference)/events.jsonl") {
            return RunDirectory(path: reference.hasSuffix("/") ? String(reference.dropLast()) : reference)
        }
        return StateDirectory.resolve(override: stateDir).runDirectory(reference)
    }
}
