/// A mouse button pressed or released, or a turn of the wheel, at a cell of the screen.
///
/// Coordinates are screen cells from the top left, (0, 0), as `Buffer` counts them. The backend
/// reports presses and releases as they happen (no click is made of them, so nothing waits for a
/// second click), and no motion.
public struct MouseEvent: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case press, release, wheelUp, wheelDown
    }

    /// The keys held with the mouse, as far as the terminal tells (many keep Shift for their own
    /// selection and do not report it).
    public struct Modifiers: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let shift = Modifiers(rawValue: 1)
        public static let control = Modifiers(rawValue: 2)
        public static let alt = Modifiers(rawValue: 4)
    }

    public var kind: Kind
    /// 1 left, 2 middle, 3 right; 0 for the wheel, or a release whose button the terminal did
    /// not say.
    public var button: Int
    public var x: Int
    public var y: Int
    public var modifiers: Modifiers

    public init(_ kind: Kind, button: Int = 1, x: Int, y: Int, modifiers: Modifiers = []) {
        self.kind = kind
        self.button = kind == .wheelUp || kind == .wheelDown ? 0 : button
        self.x = x
        self.y = y
        self.modifiers = modifiers
    }

    /// A press of the left button: what the console takes as a click.
    public var isLeftPress: Bool { kind == .press && button == 1 }

    public var description: String {
        let what: String
        switch kind {
        case .press: what = "press \(button)"
        case .release: what = "release \(button)"
        case .wheelUp: what = "wheel up"
        case .wheelDown: what = "wheel down"
        }
        var held = ""
        if modifiers.contains(.shift) { held += "Shift-" }
        if modifiers.contains(.control) { held += "Ctrl-" }
        if modifiers.contains(.alt) { held += "Alt-" }
        return "\(held)\(what) at \(x),\(y)"
    }
}
