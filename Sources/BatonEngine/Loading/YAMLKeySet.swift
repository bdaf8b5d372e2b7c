/// The keys of one YAML mapping as they are read, to tell a repeated one: a list while the
/// mapping is small, a set once it grows, so that the many small mappings of a large workflow
/// hash nothing.
struct YAMLKeySet {
    /// How many keys a mapping may have before they are hashed.
    static let listLimit = 16

    private var few: [String] = []
    private var many: Set<String>?

    /// Adds `key`; false when the mapping already had it.
    mutating func insert(_ key: String) -> Bool {
        if many != nil { return many!.insert(key).inserted }
        if few.contains(key) { return false }
        few.append(key)
        if few.count > Self.listLimit { many = Set(few) }
        return true
    }
}
