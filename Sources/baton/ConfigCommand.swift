import ArgumentParser
import BatonConsole
import BatonEngine
import Foundation

/// `baton config`: where the console's config file is, whether it is good, and the keys it makes.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show where the console's config file is read from, check it, or print the keys it makes.",
        discussion: """
            The file is $BATON_CONFIG, else $XDG_CONFIG_HOME/baton/config.yaml, else \
            ~/.config/baton/config.yaml; without one the built-in defaults apply. It holds theme, \
            bell, mouse, read_only, follow_action, keys (the console's) and top_keys (baton \
            top's; see the README's Configuration section). A flag wins over an environment \
            variable (BATON_MOUSE), which wins over the file, which wins over the built-in \
            default. With no option, prints the path and checks the file. Exit status: 0 fine (or \
            no file); 2 the file has problems.
            """)

    @Flag(help: "Print where the config file is read from, and whether it exists.")
    var path = false

    @Flag(help: "Check the config file: print every problem as file:line:column: message.")
    var check = false

    @Flag(help: "Print the effective key tables, the console's and baton top's: the defaults with the file's remaps applied (marked *).")
    var keys = false

    func run() throws {
        let location = ConsoleConfigLocation.resolve()
        let everything = !path && !check && !keys
        if path || everything { Console.out(Self.describe(location)) }
        guard check || keys || everything else { return }
        let config: ConsoleConfig
        do {
            config = try ConsoleConfigLoader.load(from: location)
        } catch {
            for problem in error.problems { Console.error("\(problem)") }
            let count = error.problems.count
            Console.error("\(location.path): \(count) problem\(count == 1 ? "" : "s")")
            throw ExitStatus.invalidInput
        }
        if check || everything {
            if let problem = Self.themeProblem(config) {
                Console.error(problem)
                Console.error("\(location.path): 1 problem")
                throw ExitStatus.invalidInput
            }
            Console.out(config.file == nil ? "no config file; the built-in defaults apply" : "\(location.path): ok")
        }
        if keys {
            let source = config.file.map { "with \($0)" } ?? "built-in; no config file"
            Console.out("Keys (\(source)); * marks a key the file sets")
            Console.out("")
            Console.out(config.keymap.listing(remapped: Set(config.keys.keys)).joined(separator: "\n"))
            Console.out("")
            Console.out("baton top's keys (top_keys:)")
            Console.out("")
            Console.out(config.topKeymap.bindings.listing(remapped: Set(config.topKeys.keys)).joined(separator: "\n"))
        }
    }

    /// The path and whether it is there, and who chose it.
    static func describe(_ location: ConsoleConfigLocation) -> String {
        let chosen = location.isNamedByVariable ? " (named by \(ConsoleConfigLocation.variable))" : ""
        let state = location.exists ? "exists"
            : location.isNamedByVariable ? "does not exist, which is an error while \(ConsoleConfigLocation.variable) names it"
            : "does not exist; the built-in defaults apply"
        return "\(location.path)\(chosen): \(state)"
    }

    /// Why the file's `theme:` cannot be used, pointed at where it is written; nil when it can.
    static func themeProblem(_ config: ConsoleConfig) -> String? {
        guard let theme = config.theme, let file = config.file else { return nil }
        do {
            _ = try ThemeCatalog.resolve(theme, searchDirectories: ThemeCatalog.defaultSearchDirectories())
            return nil
        } catch {
            let location = config.themeLocation ?? .start
            return "\(file):\(location.line):\(location.column): theme '\(theme)' cannot be used: " + error.problems.joined(separator: "; ")
        }
    }
}
