/// Drops the escape sequences curses did not recognise, so that their bytes never act as keys.
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
/// Its state lasts from one batch of keys to the next, so a sequence split across two reads
/// is still dropped whole; an Esc alone at the end of a batch is the Esc key.
public struct EscapeSequenceFilter: Sendable {
    private enum State: Sendable {
        case plain
        /// An Esc was the last key of the batch so far.
        case escape
        /// Inside `ESC [`: parameter and intermediate bytes until a final byte.
        case controlSequence
        /// After `ESC O`: one more character ends it.
        case singleShift
    }

    private var state = State.plain

    public init() {}

    /// The keys of one batch of input, the unrecognised sequences among them left out.
    public mutating func filter(_ keys: [Key]) -> [Key] {
        var kept: [Key] = []
        kept.reserveCapacity(keys.count)
        for key in keys { take(key, into: &kept) }
        if case .escape = state {
            // Nothing followed it in this batch: the Esc key itself.
            kept.append(.escape)
            state = .plain
        }
        return kept
    }

    private mutating func take(_ key: Key, into kept: inout [Key]) {
        switch state {
        case .plain:
            if key == .escape { state = .escape } else { kept.append(key) }
        case .escape:
            switch key {
            case .character("["): state = .controlSequence
            case .character("O"): state = .singleShift
            case .escape:
                kept.append(.escape)
            default:
                kept.append(.escape)
                kept.append(key)
                state = .plain
            }
        case .controlSequence:
            guard case .character(let character) = key, let value = character.asciiValue else {
                // Not part of any sequence (a key curses decoded, a control): the sequence was
                // cut short, and this key stands on its own.
                state = .plain
                take(key, into: &kept)
                return
            }
            switch value {
            case 0x20...0x3F: break
            case 0x40...0x7E: state = .plain
            default:
                state = .plain
                take(key, into: &kept)
            }
        case .singleShift:
            state = .plain
            if case .character = key { return }
            take(key, into: &kept)
        }
    }
}
