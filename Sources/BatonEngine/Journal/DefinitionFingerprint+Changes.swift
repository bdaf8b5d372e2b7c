extension DefinitionFingerprint {
    /// How this definition differs from the one `started` (a `run_started` event) recorded,
    /// one phrase per change; empty when the texts are the same, or when the event records no
    /// digest (a journal from before digests were kept, which is resumed unchecked).
    package func changes(since started: RunEvent) -> [String] {
        guard let recorded = started.definitionDigest, recorded != digest else { return [] }
        let recordedParts = started.definitionParts?.dictionary ?? [:]
        let parts = self.parts.dictionary
        let recordedSteps = Self.writtenSteps(started.steps ?? [], parts: recordedParts)
        if parts.isEmpty && stepIDs.isEmpty { return ["it is no longer a YAML mapping of settings and steps"] }
        var changes: [String] = []
        let now = Set(stepIDs)
        let before = Set(recordedSteps)
        for id in recordedSteps where !now.contains(id) { changes.append("step '\(id)' was removed") }
        for id in stepIDs where !before.contains(id) { changes.append("step '\(id)' was added") }
        for id in recordedSteps where now.contains(id) {
            let fields = Self.changedKeys(recordedParts, parts) { key in
                if key == "steps.\(id)" { return "its settings" }
                let prefix = "steps.\(id)."
                return key.hasPrefix(prefix) ? "'\(key.dropFirst(prefix.count))'" : nil
            }
            if !fields.isEmpty { changes.append("step '\(id)' changed \(Self.list(fields))") }
        }
        let settings = Self.changedKeys(recordedParts, parts) { key in
            key.hasPrefix("steps.") || key.hasPrefix(Self.calledFilePrefix) || key.hasPrefix(Self.inventoryPrefix) ? nil : "'\(key)'"
        }
        if !settings.isEmpty { changes.append("the top-level \(Self.list(settings)) changed") }
        // Stored files other than the workflow: the files it calls, and the inventory file.
        for (prefix, what) in [(Self.calledFilePrefix, "the called workflow"), (Self.inventoryPrefix, "the inventory file")] {
            let paths = Self.changedKeys(recordedParts, parts) { key in key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : nil }
            for path in paths {
                let key = prefix + path
                changes.append(
                    recordedParts[key] == nil ? "\(what) '\(path)' was added"
                        : parts[key] == nil ? "\(what) '\(path)' is no longer stored"
                        : "\(what) '\(path)' changed")
            }
        }
        if changes.isEmpty && recordedSteps.filter(now.contains) != stepIDs.filter(before.contains) {
            changes.append("the steps are in a different order")
        }
        if changes.isEmpty { changes.append("only text outside the settings changed (a comment, spacing or line breaks)") }
        return changes
    }

    /// The ids of `steps:` as the file wrote them, in the order of `recorded` (the run's step
    /// ids, which name each fan-out instance, `deploy[web1]`, each called step, `build.compile`,
    /// and the finally steps): a written id holds neither `[` nor `.`, and the parts name
    /// every step of `steps:`.
    private static func writtenSteps(_ recorded: [String], parts: [String: String]) -> [String] {
        var written: Set<Substring> = []
        for key in parts.keys where key.hasPrefix("steps.") {
            if let id = key.dropFirst("steps.".count).split(separator: ".", maxSplits: 1).first { written.insert(id) }
        }
        var seen: Set<Substring> = []
        return recorded.compactMap { id in
            let own = id.prefix { $0 != "[" && $0 != "." }
            return written.contains(own) && seen.insert(own).inserted ? String(own) : nil
        }
    }

    /// The names (by `name`, which returns nil for keys it does not cover) of the keys whose
    /// digests differ between `old` and `new`, or that only one of them has; sorted.
    private static func changedKeys(
        _ old: [String: String], _ new: [String: String], _ name: (String) -> String?
    ) -> [String] {
        Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.compactMap(name).sorted()
    }

    /// `'a'`, `'a' and 'b'`, `'a', 'b' and 'c'`.
    private static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
    }
}
