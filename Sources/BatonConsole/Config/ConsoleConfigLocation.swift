import Foundation

/// Where the console's config file is read from: `$BATON_CONFIG`, else
/// `$XDG_CONFIG_HOME/baton/config.yaml`, else `~/.config/baton/config.yaml`.
public struct ConsoleConfigLocation: Sendable, Equatable {
    /// The environment variable that names another config file.
    public static let variable = "BATON_CONFIG"

    /// The file's path.
    public var path: String
    /// Whether `BATON_CONFIG` named it: then a missing file is an error, not the defaults.
    public var isNamedByVariable: Bool

    /// The location for an environment.
    public static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) -> ConsoleConfigLocation {
        if let named = environment[variable], !named.isEmpty {
            return ConsoleConfigLocation(path: named, isNamedByVariable: true)
        }
        return ConsoleConfigLocation(path: "\(userFolder(environment: environment))/config.yaml", isNamedByVariable: false)
    }

    /// Baton's folder of the user's own files (the config file, user themes):
    /// `$XDG_CONFIG_HOME/baton`, else `~/.config/baton`.
    public static func userFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        // As the XDG base directory spec says, a relative XDG_CONFIG_HOME is ignored.
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return "\(xdg)/baton" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return "\(home)/.config/baton"
    }

    /// Whether a file (or anything) is there.
    public var exists: Bool { FileManager.default.fileExists(atPath: path) }
}
