import BatonEngine

/// A named part of the console that a theme gives a style to.
public struct ThemeRole: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    public init(_ name: String) { self.name = name }

    public var description: String { name }

    public static let text = ThemeRole("text")
    public static let muted = ThemeRole("muted")
    public static let border = ThemeRole("border")
    public static let borderFocused = ThemeRole("border_focused")
    public static let title = ThemeRole("title")
    public static let header = ThemeRole("header")
    public static let paused = ThemeRole("paused")
    public static let attention = ThemeRole("attention")
    public static let selection = ThemeRole("selection")
    public static let edge = ThemeRole("edge")
    public static let edgeHighlighted = ThemeRole("edge_highlighted")
    public static let dialog = ThemeRole("dialog")
    public static let dialogBorder = ThemeRole("dialog_border")
    public static let searchMatch = ThemeRole("search_match")
    public static let searchCurrent = ThemeRole("search_current")
    public static let stderr = ThemeRole("stderr")
    public static let batonNote = ThemeRole("baton_note")
    public static let statusInfo = ThemeRole("status_info")
    public static let statusError = ThemeRole("status_error")
    public static let keyHint = ThemeRole("key_hint")

    /// The role of a step state, e.g. `state.running`.
    public static func state(_ state: StepState) -> ThemeRole { ThemeRole("state.\(state.rawValue)") }

    /// Every role a complete theme defines.
    public static let all: [ThemeRole] = [
        .text, .muted, .border, .borderFocused, .title, .header, .paused, .attention, .selection, .edge,
        .edgeHighlighted, .dialog, .dialogBorder, .searchMatch, .searchCurrent, .stderr, .batonNote,
        .statusInfo, .statusError, .keyHint,
    ] + StepState.allCases.map { ThemeRole.state($0) }
}
