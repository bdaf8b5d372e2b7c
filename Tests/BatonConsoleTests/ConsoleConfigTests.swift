import BatonEngine
import BatonTerminal
import Foundation
import Testing
@testable import BatonConsole

/// The console's config file: what a good one gives, every problem a bad one reports with its
/// place, and which of a flag, the environment, the file and the default wins.
@Suite struct ConsoleConfigTests {
    private func load(_ yaml: String) throws(ConsoleConfigError) -> ConsoleConfig {
        try ConsoleConfigLoader.load(yaml: yaml, file: "config.yaml")
    }

    /// The problems of a file that must not load, as printed.
    private func problems(_ yaml: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
        do {
            _ = try load(yaml)
            Issue.record("the file loaded", sourceLocation: sourceLocation)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func aGoodFileSetsEveryOption() throws {
        let config = try load("""
            # the console's defaults
            theme: light
            bell: false
            mouse: false
            read_only: true
            follow_action: true
            keys:
              retry: R
              reject: [x, ctrl-x]
              pauseRun: f5
              next-pane: f2
              details: [enter, space]
              play-pause: p
            """)
        #expect(config.theme == "light")
        #expect(config.themeLocation == SourceLocation(line: 2, column: 8))
        #expect(config.bell == false && config.mouse == false && config.readOnly == true && config.followAction == true)
        #expect(config.keys == [.retry: [.character("R")], .reject: [.character("x"), .control("x")], .pauseRun: [.function(5)],
                                .nextPane: [.function(2)], .details: [.enter, .character(" ")], .playPause: [.character("p")]])
        let keymap = config.keymap
        #expect(keymap.action(for: .character("R")) == .retry)
        #expect(keymap.action(for: .character("r")) == nil, "a remap replaces the default keys")
        #expect(keymap.action(for: .control("x")) == .reject)
        #expect(keymap.action(for: .function(5)) == .pauseRun)
        #expect(keymap.action(for: .tab) == nil && keymap.action(for: .function(2)) == .nextPane)
        #expect(keymap.action(for: .character(" ")) == .details)
        #expect(keymap.bindings.map(\.action) == Keymap.defaultBindings.map(\.action), "the table keeps its order")
    }

    @Test func anEmptyFileOrOneOfCommentsIsTheDefaults() throws {
        for text in ["", "\n", "# nothing yet\n", "~\n"] {
            let config = try load(text)
            #expect(config.keys.isEmpty && config.theme == nil && config.bell == nil && config.mouse == nil)
            #expect(config.keymap == Keymap.standard)
        }
    }

    @Test func aMissingFileIsTheDefaultsUnlessBatonConfigNamesIt() throws {
        let folder = NSTemporaryDirectory() + "baton-config-\(UUID().uuidString.prefix(8))"
        let found = ConsoleConfigLocation.resolve(environment: ["XDG_CONFIG_HOME": folder, "HOME": "/nowhere"])
        #expect(found == ConsoleConfigLocation(path: "\(folder)/baton/config.yaml", isNamedByVariable: false))
        #expect(try ConsoleConfigLoader.load(from: found) == .defaults)
        #expect(ConsoleConfigLocation.resolve(environment: ["HOME": "/home/ann"]).path == "/home/ann/.config/baton/config.yaml")
        #expect(ConsoleConfigLocation.resolve(environment: ["HOME": "/home/ann", "XDG_CONFIG_HOME": "relative"]).path == "/home/ann/.config/baton/config.yaml")
        let named = ConsoleConfigLocation.resolve(environment: ["BATON_CONFIG": "\(folder)/mine.yaml", "XDG_CONFIG_HOME": folder])
        #expect(named.isNamedByVariable && named.path == "\(folder)/mine.yaml")
        #expect(throws: ConsoleConfigError.self) { try ConsoleConfigLoader.load(from: named) }
    }

    @Test func twoActionsOnOneKeyNameBothTheKeyAndTheLine() {
        // retry takes x, which reject keeps by default.
        #expect(problems("bell: true\nkeys:\n  retry: x\n") == [
            "config.yaml:3:10: key 'x' is bound to both reject (its default key) and retry (here); a key may do one thing, so give one of them another key",
        ])
        // Both remapped onto F5: placed at the later one, the earlier one's line named.
        #expect(problems("keys:\n  retry: [R, f5]\n  skip: F5\n") == [
            "config.yaml:3:9: key 'f5' is bound to both retry (line 2, column 14) and skip (here); a key may do one thing, so give one of them another key",
        ])
        // Swapping two actions' keys is no clash.
        #expect(throws: Never.self) { try load("keys:\n  retry: x\n  reject: r\n") }
    }

    @Test func unknownActionsAndKeysSuggestWhatWasMeant() {
        #expect(problems("keys:\n  retyr: R\n") == ["config.yaml:2:3: unknown action 'retyr'; did you mean 'retry'? (baton config --keys lists the actions)"])
        #expect(problems("keys:\n  pause-rnu: R\n").first?.contains("did you mean 'pause-run'?") == true)
        #expect(problems("keys:\n  retry: entr\n").first?.hasPrefix("config.yaml:2:10: unknown key 'entr'; did you mean 'enter'?") == true)
        #expect(problems("keys:\n  retry: f99\n") == ["config.yaml:2:10: 'f99' is not a function key; they are f1 to f24"])
        #expect(problems("keys:\n  retry: ctrl-i\n") == ["config.yaml:2:10: 'ctrl-i' reaches the console as tab; write tab"])
        #expect(problems("bel: false\n") == ["config.yaml:1:1: unknown key 'bel'; did you mean 'bell'? (keys are: theme, bell, mouse, read_only, follow_action, keys, top_keys)"])
    }

    @Test func wrongTypesArePlaced() {
        #expect(problems("bell: maybe\n") == ["config.yaml:1:7: 'bell' must be true or false, not 'maybe'"])
        #expect(problems("mouse: [true]\n") == ["config.yaml:1:8: 'mouse' must be true or false, not a list"])
        #expect(problems("theme: {name: dark}\n") == ["config.yaml:1:8: 'theme' must be text, not a mapping"])
        #expect(problems("keys: [r]\n") == ["config.yaml:1:7: 'keys' must be a mapping from actions to keys, such as 'retry: R', not a list"])
        #expect(problems("keys:\n  retry: {key: r}\n").first?.hasPrefix("config.yaml:2:10: the keys of retry must be a key or a list of keys") == true)
        #expect(problems("keys:\n  retry: []\n") == ["config.yaml:2:10: retry needs at least one key"])
        #expect(problems("keys:\n  retry: [r, r]\n") == ["config.yaml:2:14: 'r' is listed twice for retry"])
        #expect(problems("keys:\n  retry: R\n  retry: T\n") == ["config.yaml:3:3: duplicate key 'retry' in 'keys'; it is first given at line 2, column 3"])
        #expect(problems("keys:\n  retry: R\n  retry: T\n").count == 1)
        #expect(problems("- theme\n") == ["config.yaml:1:1: the config file must be a mapping of keys such as 'theme', 'bell' and 'keys', not a list"])
    }

    @Test func aYAMLSyntaxErrorIsPlaced() {
        let found = problems("keys:\n  retry: [R\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("config.yaml:3:1: YAML syntax error:") == true, "\(found)")
        #expect(problems("bell: true\n\u{1}\n").first?.hasPrefix("config.yaml:2:1: ") == true, "bytes that are not text are placed")
    }

    @Test func aFlagWinsOverTheEnvironmentWhichWinsOverTheFile() throws {
        let file = try load("mouse: false\nbell: false\nread_only: true\nfollow_action: false\ntheme: light\n")
        let none = ConsoleConfig.defaults
        // The mouse: flag > BATON_MOUSE > file > on.
        #expect(file.mouse(flag: true, environment: ["BATON_MOUSE": "0"]))
        #expect(!none.mouse(flag: false, environment: ["BATON_MOUSE": "1"]))
        #expect(file.mouse(flag: nil, environment: ["BATON_MOUSE": "1"]))
        #expect(!none.mouse(flag: nil, environment: ["BATON_MOUSE": "off"]))
        #expect(!file.mouse(flag: nil, environment: [:]))
        #expect(!file.mouse(flag: nil, environment: ["BATON_MOUSE": "whatever"]), "a value that says nothing leaves it to the file")
        #expect(none.mouse(flag: nil, environment: [:]))
        // The others: flag > file > default.
        #expect(file.bell(flag: true) && !file.bell(flag: nil) && none.bell(flag: nil))
        #expect(!file.readOnly(flag: false) && file.readOnly(flag: nil) && !none.readOnly(flag: nil))
        #expect(file.followAction(flag: true, builtIn: false) && !file.followAction(flag: nil, builtIn: true))
        #expect(none.followAction(flag: nil, builtIn: true) && !none.followAction(flag: nil, builtIn: false))
        #expect(file.theme(flag: "mono") == "mono" && file.theme(flag: nil) == "light" && none.theme(flag: nil) == nil)
    }

    @Test func keysAreReadAndPrintedByOneTable() throws {
        var keys: [Key] = [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab,
                           .backspace, .delete, .insert, .character(" "), .character("G"), .character(":"), .function(1), .function(24),
                           .control("x"), .control(" "), .control("\\")]
        keys += Keymap.defaultBindings.flatMap(\.keys)
        for key in keys {
            #expect(try KeySpelling.key(KeySpelling.text(for: key)).get() == key, "\(key) reads back as written: \(KeySpelling.text(for: key))")
            #expect(try KeySpelling.key(key.name).get() == key, "the help overlay's name \(key.name) reads too")
        }
        #expect(try KeySpelling.key("Ctrl-X").get() == .control("x"))
        #expect(try KeySpelling.key("g").get() != KeySpelling.key("G").get(), "a character keeps its case")
    }

    @Test func actionsHaveKebabCaseNamesAndTheDefaultsDoNotClash() {
        #expect(ConsoleAction.pauseRun.configName == "pause-run")
        #expect(ConsoleAction.followActivity.configName == "follow-activity")
        for action in ConsoleAction.allCases {
            #expect(ConsoleAction(configName: action.configName) == action)
            #expect(ConsoleAction(configName: action.rawValue) == action)
        }
        #expect(Keymap.standard.clashes().isEmpty)
        #expect(Set(Keymap.defaultBindings.map(\.action)) == Set(ConsoleAction.allCases), "every action can be remapped")
    }
}
