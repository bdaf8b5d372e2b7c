import BatonTerminal

/// One entry of a key table a config file can remap: the console's ``KeyBinding`` and
/// `baton top`'s ``TopKeymap/Binding``. Remapping, clash checks and `baton config --keys`'s
/// listing are written once over it (`ActionBinding+Remap`, `ActionBinding+Listing`).
public protocol ActionBinding: Sendable {
    associatedtype Action: ConfigurableAction
    var keys: [Key] { get set }
    var action: Action { get }
    /// A sentence for the help overlay; a second line goes on under the first.
    var help: String { get }
    /// The heading it is listed under.
    var group: String { get }
}
