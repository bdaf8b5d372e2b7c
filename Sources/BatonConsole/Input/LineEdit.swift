import BatonTerminal

/// An editing key of a text field, as a shell's line editor has them.
///
/// This is the one table of editing keys: `LineEditor` applies them and the help overlay
/// lists them, so the two cannot disagree. Console actions stay in `Keymap`; while a field
/// has the keys, these win over the actions bound to the same keys (Home, End, ←, →).
public enum LineEdit: Sendable, Hashable, CaseIterable {
    case moveLeft, moveRight, moveToStart, moveToEnd
    case deleteBackward, deleteForward, deleteToStart, deleteToEnd, deleteWordBackward

    /// The keys that make this edit.
    public var keys: [Key] {
        switch self {
        case .moveLeft: return [.left, .control("b")]
        case .moveRight: return [.right, .control("f")]
        case .moveToStart: return [.home, .control("a")]
        case .moveToEnd: return [.end, .control("e")]
        case .deleteBackward: return [.backspace]
        case .deleteForward: return [.delete, .control("d")]
        case .deleteToStart: return [.control("u")]
        case .deleteToEnd: return [.control("k")]
        case .deleteWordBackward: return [.control("w")]
        }
    }

    /// A few words for the help overlay.
    public var help: String {
        switch self {
        case .moveLeft: return "move back one character"
        case .moveRight: return "move forward one character"
        case .moveToStart: return "move to the start"
        case .moveToEnd: return "move to the end"
        case .deleteBackward: return "delete the character before the cursor"
        case .deleteForward: return "delete the character under the cursor"
        case .deleteToStart: return "delete everything before the cursor"
        case .deleteToEnd: return "delete everything from the cursor on"
        case .deleteWordBackward: return "delete the word before the cursor (and the spaces after it)"
        }
    }

    /// The keys as a person reads them: "Left/Ctrl-B".
    public var keyNames: String {
        keys.map(\.name).joined(separator: "/")
    }

    private static let byKey: [Key: LineEdit] = {
        var table: [Key: LineEdit] = [:]
        for edit in allCases {
            for key in edit.keys { table[key] = edit }
        }
        return table
    }()

    /// The edit a key makes, or nil when it is not an editing key (typed characters are not
    /// in the table: they are inserted).
    public init?(key: Key) {
        guard let edit = Self.byKey[key] else { return nil }
        self = edit
    }
}
