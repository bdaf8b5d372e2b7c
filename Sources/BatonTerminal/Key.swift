/// A key the operator pressed, decoded from the terminal's input.
///
/// Control letters arrive as `.control` with the lowercase letter (`Ctrl-C` is
/// `.control("c")`), except the ones terminals send for other keys: `^I` is `.tab`,
/// `^M` and `^J` are `.enter`, `^H` and DEL are `.backspace`, and `^[` is `.escape`.
/// `Ctrl-Space` (NUL) is `.control(" ")`.
public enum Key: Sendable, Hashable, CustomStringConvertible {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, insert
    /// F1 is `.function(1)`; terminals report shifted function keys as F13 and up.
    case function(Int)
    /// A control chord; the associated value is the lowercase letter (or `\`, `]`, `^`, `_`, space).
    case control(Character)

    /// The key for a character code read from the terminal, or nil when the code is not a key
    /// (C1 controls, surrogates).
    public init?(code: UInt32) {
        switch code {
        case 0: self = .control(" ")
        case 8, 127: self = .backspace
        case 9: self = .tab
        case 10, 13: self = .enter
        case 27: self = .escape
        case 1...26: self = .control(Character(Unicode.Scalar(UInt8(code) + 0x60)))
        case 28: self = .control("\\")
        case 29: self = .control("]")
        case 30: self = .control("^")
        case 31: self = .control("_")
        case 0x80...0x9F: return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            self = .character(Character(scalar))
        }
    }

    /// The short name shown in help text and the status bar: "Up", "PgDn", "Ctrl-C", "?", "Space".
    public var name: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .function(let number): return "F\(number)"
        case .control(" "): return "Ctrl-Space"
        case .control(let character): return "Ctrl-" + character.uppercased()
        }
    }

    public var description: String { name }
}
