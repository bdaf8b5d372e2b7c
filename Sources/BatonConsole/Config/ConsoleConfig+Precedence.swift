extension ConsoleConfig {
    // Every option is decided the same way: a flag, then an environment variable (only the
    // mouse has one), then this file, then the built-in default.

    /// The environment variable that turns the mouse off (`BATON_MOUSE=0`) or on.
    public static let mouseVariable = "BATON_MOUSE"

    /// Whether the console takes the mouse: `--mouse`/`--no-mouse`, else `BATON_MOUSE`, else
    /// `mouse:`, else on.
    public func mouse(flag: Bool?, environment: [String: String]) -> Bool {
        flag ?? Self.mouseSetting(environment[Self.mouseVariable]) ?? mouse ?? true
    }

    /// What `BATON_MOUSE` says: off for 0, off, no or false; on for 1, on, yes or true; nothing
    /// when it is unset, empty or anything else.
    public static func mouseSetting(_ value: String?) -> Bool? {
        switch value?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "0", "off", "no", "false": return false
        case "1", "on", "yes", "true": return true
        default: return nil
        }
    }

    /// The theme: `--theme`, else `theme:`, else nil for the built-in default.
    public func theme(flag: String?) -> String? { flag ?? theme }

    /// Whether the bell rings: `--bell`/`--no-bell`, else `bell:`, else on.
    public func bell(flag: Bool?) -> Bool { flag ?? bell ?? true }

    /// Whether `baton attach` opens read-only: `--read-only`/`--no-read-only`, else
    /// `read_only:`, else off.
    public func readOnly(flag: Bool?) -> Bool { flag ?? readOnly ?? false }

    /// Whether the console starts following the action: `--follow-action`/`--no-follow-action`,
    /// else `follow_action:`, else `builtIn` (on in demos, off otherwise).
    public func followAction(flag: Bool?, builtIn: Bool) -> Bool { flag ?? followAction ?? builtIn }
}
