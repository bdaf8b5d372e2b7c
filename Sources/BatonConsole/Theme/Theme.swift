import BatonEngine
import BatonTerminal

/// Colours and glyphs for every role of the console, loaded from a file in `themes/`.
public struct Theme: Sendable, Hashable {
    public var name: String
    public var styles: [ThemeRole: Style]
    /// The glyph shown for each step state, e.g. `✔` for succeeded.
    public var glyphs: [StepState: String]

    public init(name: String, styles: [ThemeRole: Style], glyphs: [StepState: String]) {
        self.name = name
        self.styles = styles
        self.glyphs = glyphs
    }

    /// The style of a role; roles a theme leaves out use the plain style.
    public func style(_ role: ThemeRole) -> Style { styles[role] ?? .plain }

    /// The style of a step state.
    public func style(for state: StepState) -> Style { style(.state(state)) }

    /// The glyph of a step state, falling back to the ASCII set.
    public func glyph(for state: StepState) -> String { glyphs[state] ?? Theme.asciiGlyphs[state] ?? "?" }

    /// This theme with its glyphs swapped for ASCII ones, for terminals whose locale is not UTF-8.
    public var asciiOnly: Theme {
        var copy = self
        copy.glyphs = Theme.asciiGlyphs
        return copy
    }

    /// This theme with every colour removed (attributes kept), for `NO_COLOR` and monochrome terminals.
    ///
    /// Roles that a colour theme tells apart by their background alone (the selection, search
    /// hits, banners) would vanish without it, so those get the attributes the mono theme
    /// gives them instead.
    public var withoutColour: Theme {
        var copy = self
        for (role, style) in styles {
            var attributes = style.attributes
            if style.background != .default, let stand = Theme.monochromeStandIns[role] { attributes.formUnion(stand) }
            copy.styles[role] = Style(attributes: attributes)
        }
        return copy
    }

    /// What marks a role when its background colour is taken away.
    static let monochromeStandIns: [ThemeRole: Style.Attributes] = [
        .header: .reverse,
        .paused: [.bold, .reverse],
        .attention: [.bold, .underline, .reverse],
        .selection: .reverse,
        .searchMatch: .underline,
        .searchCurrent: [.bold, .underline, .reverse],
        .statusError: [.bold, .reverse],
    ]

    /// Glyphs that need only ASCII.
    public static let asciiGlyphs: [StepState: String] = [
        .pending: ".", .held: "h", .waiting: "?", .running: ">", .suspended: "z", .retrying: "r",
        .succeeded: "v", .failed: "x", .skipped: "-", .blocked: "#", .cancelled: "c", .interrupted: "i",
        .rollingBack: "<", .rolledBack: "u", .rollbackFailed: "!",
    ]

    /// Glyphs for UTF-8 terminals.
    public static let unicodeGlyphs: [StepState: String] = [
        .pending: "·", .held: "⏸", .waiting: "⧗", .running: "▶", .suspended: "‖", .retrying: "↻",
        .succeeded: "✔", .failed: "✘", .skipped: "⤼", .blocked: "⊘", .cancelled: "■", .interrupted: "↯",
        .rollingBack: "↶", .rolledBack: "↺", .rollbackFailed: "‼",
    ]

    /// The built-in dark theme, used when no theme file is chosen or found.
    public static let builtInDark: Theme = {
        var styles: [ThemeRole: Style] = [
            .text: Style(),
            .muted: Style(foreground: .indexed(245)),
            .border: Style(foreground: .indexed(240)),
            .borderFocused: Style(foreground: .indexed(75), attributes: .bold),
            .title: Style(foreground: .indexed(252), attributes: .bold),
            .header: Style(foreground: .indexed(255), background: .indexed(236)),
            .paused: Style(foreground: .indexed(16), background: .indexed(214), attributes: .bold),
            .attention: Style(foreground: .indexed(16), background: .indexed(203), attributes: .bold),
            .selection: Style(foreground: .indexed(255), background: .indexed(24), attributes: .bold),
            .edge: Style(foreground: .indexed(242)),
            .edgeHighlighted: Style(foreground: .indexed(75)),
            .dialog: Style(foreground: .indexed(255), background: .indexed(237)),
            .dialogBorder: Style(foreground: .indexed(75), background: .indexed(237), attributes: .bold),
            .searchMatch: Style(foreground: .indexed(16), background: .indexed(186)),
            .searchCurrent: Style(foreground: .indexed(16), background: .indexed(214), attributes: .bold),
            .stderr: Style(foreground: .indexed(210)),
            .batonNote: Style(foreground: .indexed(110), attributes: .italic),
            .statusInfo: Style(foreground: .indexed(114)),
            .statusError: Style(foreground: .indexed(203), attributes: .bold),
            .keyHint: Style(foreground: .indexed(75), attributes: .bold),
        ]
        let stateColours: [StepState: UInt8] = [
            .pending: 245, .held: 180, .waiting: 214, .running: 75, .suspended: 141, .retrying: 221,
            .succeeded: 114, .failed: 203, .skipped: 244, .blocked: 138, .cancelled: 250, .interrupted: 208,
            .rollingBack: 177, .rolledBack: 140, .rollbackFailed: 197,
        ]
        for (state, colour) in stateColours {
            styles[.state(state)] = Style(foreground: .indexed(colour), attributes: state == .failed || state == .waiting || state == .interrupted ? .bold : [])
        }
        return Theme(name: "dark", styles: styles, glyphs: unicodeGlyphs)
    }()
}
