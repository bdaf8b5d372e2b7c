import BatonEngine
import BatonTerminal

/// How keys are written in the config file and printed by `baton config --keys`: `x`, `G`,
/// `ctrl-x`, `f5`, `enter`, `page-down`, `space`. One table reads and writes them, so what
/// is printed can always be read back.
///
/// A single character stands for itself and keeps its case (`g` and `G` differ); names and
/// `ctrl-`/`f` chords ignore case, and the names the help overlay shows (`PgDn`, `Ctrl-C`,
/// `Esc`) are read too.
public enum KeySpelling {
    /// The named keys: the spelling printed first, then others that are read as well.
    static let named: [(key: Key, spellings: [String])] = [
        (.up, ["up"]), (.down, ["down"]), (.left, ["left"]), (.right, ["right"]),
        (.pageUp, ["page-up", "pgup", "pageup"]), (.pageDown, ["page-down", "pgdn", "pagedown"]),
        (.home, ["home"]), (.end, ["end"]),
        (.enter, ["enter", "return"]), (.escape, ["escape", "esc"]), (.tab, ["tab"]),
        (.backTab, ["shift-tab", "backtab"]), (.backspace, ["backspace"]),
        (.delete, ["delete", "del"]), (.insert, ["insert", "ins"]),
        (.character(" "), ["space"]),
    ]

    /// The highest function key written `fN`; terminals report shifted ones as F13 and up.
    static let highestFunctionKey = 24

    /// Control chords that reach the console as another key, and that key's spelling.
    static let controlAliases: [Character: String] = ["i": "tab", "m": "enter", "j": "enter", "h": "backspace", "[": "escape"]

    /// The key `text` spells, or why it spells none (with a did-you-mean where one is near).
    public static func key(_ text: String) -> Result<Key, KeySpellingError> {
        if text.count == 1, let character = text.first, !character.isWhitespace || character == " " {
            return .success(.character(character))
        }
        let lowered = text.lowercased()
        if let entry = named.first(where: { $0.spellings.contains(lowered) }) { return .success(entry.key) }
        if lowered.hasPrefix("f"), let number = Int(lowered.dropFirst()), String(number) == lowered.dropFirst() {
            guard (1...highestFunctionKey).contains(number) else {
                return .failure(KeySpellingError("'\(text)' is not a function key; they are f1 to f\(highestFunctionKey)"))
            }
            return .success(.function(number))
        }
        for prefix in ["ctrl-", "ctrl+", "c-", "^"] where lowered.hasPrefix(prefix) && lowered.count > prefix.count {
            return control(String(lowered.dropFirst(prefix.count)), written: text)
        }
        let known = named.flatMap(\.spellings) + ["ctrl-x", "f1"]
        return .failure(KeySpellingError("unknown key '\(text)'\(Suggestion.hint(for: lowered, among: known)) (keys are a character, a name such as enter, tab, space, up, page-down, home, escape, f1 to f\(highestFunctionKey), or ctrl- and a letter)"))
    }

    private static func control(_ rest: String, written text: String) -> Result<Key, KeySpellingError> {
        let character: Character
        if rest == "space" {
            character = " "
        } else if rest.count == 1, let first = rest.first, first.isLetter && first.isASCII || "\\]^_[".contains(first) {
            character = first
        } else {
            return .failure(KeySpellingError("'\(text)' is not a control key; write ctrl- and a letter, such as ctrl-x"))
        }
        if let other = controlAliases[character] {
            return .failure(KeySpellingError("'\(text)' reaches the console as \(other); write \(other)"))
        }
        return .success(.control(character))
    }

    /// How `key` is written: the spelling `key(_:)` reads back as the same key.
    public static func text(for key: Key) -> String {
        if let entry = named.first(where: { $0.key == key }) { return entry.spellings[0] }
        switch key {
        case .character(let character): return String(character)
        case .function(let number): return "f\(number)"
        case .control(" "): return "ctrl-space"
        case .control(let character): return "ctrl-\(character)"
        default: return key.name.lowercased()
        }
    }
}

/// Why a text is not a key; the message names the text and, when one is near, the key meant.
public struct KeySpellingError: Error, Sendable, Hashable {
    public var message: String

    init(_ message: String) { self.message = message }
}
