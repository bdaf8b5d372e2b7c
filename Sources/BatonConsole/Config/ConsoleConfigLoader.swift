import BatonEngine
import Foundation

/// Loads the console's config file through the YAML core every loader shares
/// (`YAMLComposer.compose(checking:file:)`, `SourceProblem`), so a bad file is reported as
/// `file:line:column: …` and meets the same guards as a workflow.
///
/// The format is in the README's "Configuration" section.
public enum ConsoleConfigLoader {
    /// The largest config file accepted, 1 MiB.
    public static let maximumFileSize = 1 << 20

    /// The config at `location`; the built-in defaults when no file is there, unless
    /// `BATON_CONFIG` named it (a name that leads nowhere is a mistake worth saying).
    public static func load(from location: ConsoleConfigLocation) throws(ConsoleConfigError) -> ConsoleConfig {
        guard location.exists else {
            if location.isNamedByVariable {
                throw problem(file: location.path, "no such file (\(ConsoleConfigLocation.variable) names it)")
            }
            return .defaults
        }
        return try load(contentsOf: location.path)
    }

    /// Reads and loads the config file at `path`; problems name the file as `path`.
    public static func load(contentsOf path: String) throws(ConsoleConfigError) -> ConsoleConfig {
        let data: [UInt8]
        do {
            data = try BoundedFileReader.read(path, limit: maximumFileSize)
        } catch {
            switch error {
            case .unreadable(let reason):
                throw problem(file: path, "cannot read the config file: \(reason)")
            case .tooLarge(let size):
                throw problem(file: path, "file is \(size) bytes; a config file may be at most 1 MiB")
            case .stalled(let waited, let received):
                throw problem(file: path, "cannot read the config file: \(BoundedFileReader.describeStall(waited: waited, received: received))")
            }
        }
        return try load(data: data, file: path)
    }

    /// Loads the config in `yaml`; `file` names it in problems.
    public static func load(yaml: String, file: String) throws(ConsoleConfigError) -> ConsoleConfig {
        try load(data: Array(yaml.utf8), file: file)
    }

    /// Loads the config in the UTF-8 bytes `data`. An empty file, or one of comments only,
    /// is the defaults.
    public static func load(data: [UInt8], file: String) throws(ConsoleConfigError) -> ConsoleConfig {
        if data.count > maximumFileSize {
            throw problem(file: file, "file is \(data.count) bytes; a config file may be at most 1 MiB")
        }
        // Composing and releasing the node tree recurse once per nesting level.
        let result = LargeStackThread.run { () -> Result<ConsoleConfig, ConsoleConfigError> in
            let document: YAMLComposer.Document
            do throws(WorkflowLoadError) {
                document = try YAMLComposer.compose(checking: data, file: file)
            } catch {
                return .failure(ConsoleConfigError(problems: error.problems))
            }
            var config = ConsoleConfig()
            config.file = file
            guard let root = document.root else { return .success(config) }
            var decoder = ConsoleConfigDecoder(file: file, renamedKeys: document.renamedKeys)
            decoder.decode(root, into: &config)
            if !decoder.problems.isEmpty { return .failure(ConsoleConfigError(problems: decoder.sortedProblems)) }
            return .success(config)
        }
        return try result.get()
    }

    static func problem(file: String, _ message: String) -> ConsoleConfigError {
        ConsoleConfigError(problems: [SourceProblem(file: file, location: .start, message: message)])
    }
}
