/// What a file's decoder knows of the run's hosts: the inventory its steps' `on:` name, and how
/// the file's own `hosts:`, `groups:` and `ssh_config:` join it.
///
/// The run's own file makes the inventory of its own keys and the inventory file's
/// (`--inventory`); a called file (`uses:`) may not have the keys, and its steps run on the
/// hosts the run's own file made, which the assembler hands it.
struct InventoryScope {
    /// The file that calls this one, which refuses its inventory keys; nil for the run's own file.
    var caller: String?
    /// The inventory file's hosts, groups and `ssh_config:`, which the run's own file's join.
    var external: DecodedInventory?
    /// True when the inventory file was given but could not be read, or has problems of its
    /// own: those are said, and an `on:` naming something no inventory defines says nothing more.
    var externalIsPartial = false
    /// The run's hosts and groups, once made.
    var inventory = Inventory() {
        didSet { hostsByName = Dictionary(inventory.hosts.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }) }
    }
    /// The hosts of `inventory` by name: `on:` and groups look hosts up once per step and host.
    private(set) var hostsByName: [String: InventoryHost] = [:]
    /// Names the inventories define but whose entries have problems (already said): an `on:`
    /// naming one says nothing more.
    var unusableNames: Set<String> = []
    /// The absolute folder a relative `ssh_config:` in the file is found from: its own.
    var folder = ""
    /// Whether `ssh_config:` must name a file that exists (see `CalledFileSource.checksSSHConfig`).
    var checksSSHConfig = true
    /// How many names the file's "did you mean" searches may still compare against, as
    /// `DependencyValidator` bounds its own: thousands of unknown names among thousands of
    /// hosts stay quick to check.
    var suggestionComparisonsLeft = 400_000
}
