import BatonEngine
import BatonTerminal

/// The console's defaults from the config file (`baton config --path` says where): each
/// option nil when the file leaves it out, so that a flag, then an environment variable,
/// then the file, then the built-in default decides it.
public struct ConsoleConfig: Sendable, Equatable {
    /// `theme:`, a theme name or file as `--theme` takes.
    public var theme: String?
    /// Where `theme:` is written, for a theme that cannot be found or loaded.
    public var themeLocation: SourceLocation?
    /// `bell:`, ringing the bell when a gate opens or a step fails.
    public var bell: Bool?
    /// `mouse:`, taking clicks and the wheel.
    public var mouse: Bool?
    /// `read_only:`, `baton attach`'s read-only view.
    public var readOnly: Bool?
    /// `follow_action:`, whether the console starts following the action (`L`).
    public var followAction: Bool?
    /// `keys:`, the actions given keys of their own, each replacing the action's default keys.
    public var keys: [ConsoleAction: [Key]] = [:]
    /// `top_keys:`, `baton top`'s actions given keys of their own, as `keys:` does for the console.
    public var topKeys: [TopAction: [Key]] = [:]
    /// The file it was read from; nil when there was none.
    public var file: String?

    public init() {}

    /// The built-in defaults: what applies without a config file.
    public static let defaults = ConsoleConfig()

    /// The keys: the built-in table with `keys:` applied.
    public var keymap: Keymap { Keymap.standard.remapping(keys) }

    /// `baton top`'s keys: its built-in table with `top_keys:` applied.
    public var topKeymap: TopKeymap { TopKeymap.standard.remapping(topKeys) }
}
