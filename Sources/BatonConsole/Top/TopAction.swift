/// What a key does in `baton top` (`TopKeymap` binds the keys; `top_keys:` in the config file
/// remaps them by the kebab-case name: `page-down`).
public enum TopAction: String, ConfigurableAction {
    case up, down, pageUp, pageDown, first, last, open, help, quit
}
