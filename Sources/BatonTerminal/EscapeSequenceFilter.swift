/// Turns the keys curses returns into input events: drops the escape sequences curses did not
/// recognise, so that their bytes never act as keys, and gathers a bracketed paste into one
/// event.
///
/// A terminal sends some keys and reports as sequences its terminfo entry does not list: a
/// function key past the entry's, a chord under xterm's modifyOtherKeys or the kitty keyboard
/// protocol (`ESC [ 13 ; 5 u`), a report nobody asked for. Curses returns such a sequence as
/// Esc followed by its bytes one by one, and `ESC [ 200 ; 3 ~` would be read as Esc, `[`,
/// `2`, `0`, `0`, `;`, `3` (only running steps) and `~`. This takes Esc followed by `[` (CSI)
/// or `O` (SS3) as the start of a sequence and drops it whole: a CSI up to its final byte
/// (`@` to `~`), an SS3 with the one character after it. Esc followed by anything else is Esc
/// and that key, as before (Alt and a key). A person does not type Esc and `[` within the few
/// milliseconds curses waits after an Esc for the rest of a sequence, so the two only arrive
/// together when a terminal sent them.
///
/// With bracketed paste on (`CursesBackend` asks for it), a terminal wraps pasted text in
/// `ESC [ 200 ~` and `ESC [ 201 ~`; what lies between is one `.paste`, never keys, so a pasted
/// line break cannot act as Enter. At most `pasteLimit` characters of it are kept.
///
/// Its state lasts from one batch of keys to the next, so a sequence or a paste split across
/// reads is still taken whole, but for a split right after its Esc: an Esc alone at the end of
/// a batch is the Esc key, at once (curses has already waited for more).
public struct EscapeSequenceFilter: Sendable {
    /// The most characters of one paste kept; the rest is dropped.
    public static let pasteLimit = 100_000
    private static let pasteEnd: [Character] = ["\u{1B}", "[", "2", "0", "1", "~"]

    private enum State: Sendable {
        case plain
        /// An Esc was the last key of the batch so far.
        case escape
        /// Inside `ESC [`: parameter and intermediate bytes until a final byte.
        case controlSequence
        /// After `ESC O`: one more character ends it.
        case singleShift
        /// Between the brackets of a paste.
        case paste
    }

    private var state = State.plain
    /// The parameter and intermediate bytes of the control sequence being read.
    private var parameters = ""
    /// What a paste brought so far, less its last characters, which `pasteTail` holds back
    /// until they are known not to be the closing bracket.
    private var pasted = ""
    /// How many characters `pasted` holds (a String counts its own in linear time).
    private var pastedCount = 0
    private var pasteTail: [Character] = []

    public init() {}

    /// The events of one batch of keys: the keys, the unrecognised sequences among them left
    /// out, and any paste they bracket.
    public mutating func filter(_ keys: [Key]) -> [InputEvent] {
        var events: [InputEvent] = []
        events.reserveCapacity(keys.count)
        for key in keys { take(key, into: &events) }
        if case .escape = state {
            // Nothing followed it in this batch: the Esc key itself.
            events.append(.key(.escape))
            state = .plain
        }
        return events
    }

    private mutating func take(_ key: Key, into events: inout [InputEvent]) {
        switch state {
        case .plain:
            if key == .escape { state = .escape } else { events.append(.key(key)) }
        case .escape:
            switch key {
            case .character("["):
                state = .controlSequence
                parameters = ""
            case .character("O"):
                state = .singleShift
            case .escape:
                events.append(.key(.escape))
            default:
                events.append(.key(.escape))
                events.append(.key(key))
                state = .plain
            }
        case .controlSequence:
            guard case .character(let character) = key, let value = character.asciiValue else {
                // Not part of any sequence (a key curses decoded, a control): the sequence was
                // cut short, and this key stands on its own.
                state = .plain
                take(key, into: &events)
                return
            }
            switch value {
            case 0x20...0x3F:
                if parameters.count < 32 { parameters.append(character) }
            case 0x40...0x7E:
                if parameters == "200" && character == "~" {
                    state = .paste
                    pasted = ""
                    pastedCount = 0
                    pasteTail = []
                } else {
                    state = .plain
                }
            default:
                state = .plain
                take(key, into: &events)
            }
        case .singleShift:
            state = .plain
            if case .character = key { return }
            take(key, into: &events)
        case .paste:
            guard let character = Self.pastedCharacter(key) else { return }
            pasteTail.append(character)
            if pasteTail.count > Self.pasteEnd.count {
                let settled = pasteTail.removeFirst()
                if pastedCount < Self.pasteLimit {
                    pasted.append(settled)
                    pastedCount += 1
                }
            }
            if pasteTail == Self.pasteEnd {
                events.append(.paste(pasted))
                pasted = ""
                pastedCount = 0
                pasteTail = []
                state = .plain
            }
        }
    }

    /// The character a key stands for inside a paste; nil for keys that are no text.
    private static func pastedCharacter(_ key: Key) -> Character? {
        switch key {
        case .character(let character): return character
        case .enter: return "\n"
        case .tab: return "\t"
        case .escape: return "\u{1B}"
        default: return nil
        }
    }
}
