import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// `top_keys:` in the config file: what a good one gives `baton top`, every problem a bad one
/// reports with its line, and that the remapped keys are the ones that act, show in the footer
/// and the help, and answer a click on the footer.
@Suite struct TopKeysConfigTests {
    typealias T = TopTestSupport

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

    @Test func topActionsHaveKebabCaseNames() {
        #expect(TopAction.allCases.map(\.configName) == ["up", "down", "page-up", "page-down", "first", "last", "open", "help", "quit"])
        #expect(TopAction(configName: "pageDown") == .pageDown && TopAction(configName: "page-down") == .pageDown)
        #expect(TopKeymap.standard.bindings.clashes().isEmpty)
    }

    @Test func aGoodFileRemapsTopsKeysApartFromTheConsoles() throws {
        let config = try load("""
            keys:
              retry: R
            top_keys:
              open: o
              quit: [Q, ctrl-c]
              page-down: space
            """)
        #expect(config.topKeys == [.open: [.character("o")], .quit: [.character("Q"), .control("c")], .pageDown: [.character(" ")]])
        #expect(config.keys == [.retry: [.character("R")]])
        let keymap = config.topKeymap
        #expect(keymap.action(for: .character("o")) == .open)
        #expect(keymap.action(for: .enter) == nil, "a remap replaces the default keys")
        #expect(keymap.action(for: .character("q")) == nil && keymap.action(for: .character("Q")) == .quit)
        #expect(keymap.action(for: .character(" ")) == .pageDown && keymap.action(for: .character("j")) == .down)
        #expect(keymap.bindings.map(\.action) == TopKeymap.defaultBindings.map(\.action), "the table keeps its order")
        // top's o is not the console's hold key: the two tables are checked apart.
        #expect(config.keymap.action(for: .character("o")) == .holdRelease)
        #expect(try load("top_keys:\n").topKeymap == TopKeymap.standard)
    }

    @Test func twoTopActionsOnOneKeyNameTheKeyAndTheLine() {
        // open takes q, which quit keeps by default.
        #expect(problems("bell: true\ntop_keys:\n  open: q\n") == [
            "config.yaml:3:9: key 'q' is bound to both open (here) and quit (its default key); a key may do one thing, so give one of them another key",
        ])
        #expect(problems("top_keys:\n  open: [o, f5]\n  help: F5\n") == [
            "config.yaml:3:9: key 'f5' is bound to both open (line 2, column 13) and help (here); a key may do one thing, so give one of them another key",
        ])
        // Swapping two actions' keys is no clash.
        #expect(throws: Never.self) { try load("top_keys:\n  first: G\n  last: g\n") }
    }

    @Test func unknownActionsAndBadKeysArePlacedWithASuggestion() {
        #expect(problems("top_keys:\n  opne: o\n") == ["config.yaml:2:3: unknown action 'opne'; did you mean 'open'? (baton config --keys lists the actions)"])
        #expect(problems("top_keys:\n  page-dwn: x\n").first?.contains("did you mean 'page-down'?") == true)
        // A console action is not one of top's.
        #expect(problems("top_keys:\n  retry: x\n").first?.hasPrefix("config.yaml:2:3: unknown action 'retry'") == true)
        #expect(problems("top_keys:\n  open: entr\n").first?.hasPrefix("config.yaml:2:9: unknown key 'entr'; did you mean 'enter'?") == true)
        #expect(problems("top_keys:\n  open: f99\n") == ["config.yaml:2:9: 'f99' is not a function key; they are f1 to f24"])
        #expect(problems("top_keys: [o]\n") == ["config.yaml:1:11: 'top_keys' must be a mapping from actions to keys, such as 'open: o', not a list"])
        #expect(problems("top_key:\n  open: o\n").first?.contains("did you mean 'top_keys'?") == true)
    }

    @Test func aRemappedKeyActsAndTheOldOneNoLonger() throws {
        let keymap = try load("top_keys:\n  open: o\n  quit: Q\n").topKeymap
        var state = T.state([T.run("live", live: true, age: 1)], keymap: keymap)
        #expect(TopUpdate.update(&state, .key(.enter)).isEmpty)
        #expect(TopUpdate.update(&state, .key(.character("o"))) == [.handOver(runID: "live", arguments: ["attach", "/state/runs/live"])])
        #expect(TopUpdate.update(&state, .key(.character("q"))).isEmpty)
        #expect(TopUpdate.update(&state, .key(.character("Q"))) == [.quit])
    }

    @Test func theFooterTheHelpAndFooterClicksShowTheRemappedKeys() throws {
        let keymap = try load("top_keys:\n  open: o\n  down: n\n  up: [up, p]\n").topKeymap
        var state = T.state([T.run("live", live: true, age: 1)], keymap: keymap)
        let footer = TopLayout(width: state.width, height: state.height).footer
        let line = T.screen(state)[footer.y]
        #expect(line.hasPrefix("n/p select  o attach  ? help"), "\(line)")
        // A click on the hint presses the remapped key.
        let hint = try #require(line.range(of: "o attach"))
        let x = line.distance(from: line.startIndex, to: hint.lowerBound)
        #expect(TopUpdate.update(&state, .mouse(MouseEvent(.press, x: x, y: footer.y))) + TopUpdate.update(&state, .mouse(MouseEvent(.release, x: x, y: footer.y)))
                == [.handOver(runID: "live", arguments: ["attach", "/state/runs/live"])])
        // The help lists the keys it was given.
        _ = TopUpdate.update(&state, .key(.character("?")))
        let help = try #require(state.help).lines
        #expect(help.contains { $0.hasPrefix("o ") && $0.contains("A live run: its console") }, "\(help)")
        #expect(!help.contains { $0.hasPrefix("Enter") })
        #expect(help.contains { $0.hasPrefix("n ") && $0.contains("Select the run below") })
    }
}
