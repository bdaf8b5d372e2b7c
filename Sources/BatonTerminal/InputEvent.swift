/// Something the terminal reported: a key press, a paste, a mouse button or wheel, or a new size.
public enum InputEvent: Sendable, Hashable, CustomStringConvertible {
    case key(Key)
    /// Text the operator pasted, whole, line breaks included: reported where the terminal
    /// brackets pastes (`CursesBackend` asks it to), so that none of it acts as keys.
    case paste(String)
    /// Reported only while the backend has mouse reporting on.
    case mouse(MouseEvent)
    /// The terminal now has this many columns and rows; the next draw repaints everything.
    case resize(width: Int, height: Int)
    /// The terminal went away (its window closed, its tmux server killed): nothing more can
    /// be read or shown. Reported once.
    case hangup

    public var description: String {
        switch self {
        case .key(let key): return "key \(key.name)"
        case .paste(let text): return "paste of \(text.count) characters"
        case .mouse(let event): return "mouse \(event)"
        case .resize(let width, let height): return "resize \(width)×\(height)"
        case .hangup: return "hangup"
        }
    }
}
