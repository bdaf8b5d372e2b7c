import BatonTerminal

extension Array where Element: ActionBinding {
    /// These bindings with the keys of some actions replaced, everything else (order, labels,
    /// help, the footer's choice) kept.
    public func remapping(_ keys: [Element.Action: [Key]]) -> [Element] {
        map { binding in
            var binding = binding
            if let replacement = keys[binding.action] { binding.keys = replacement }
            return binding
        }
    }

    /// Every key bound to more than one action, with those actions in table order; keys in
    /// the order they first appear.
    public func clashes() -> [(key: Key, actions: [Element.Action])] {
        var order: [Key] = []
        var actions: [Key: [Element.Action]] = [:]
        for binding in self {
            for key in binding.keys {
                if actions[key] == nil { order.append(key) }
                if actions[key]?.contains(binding.action) != true { actions[key, default: []].append(binding.action) }
            }
        }
        return order.compactMap { key in
            guard let bound = actions[key], bound.count > 1 else { return nil }
            return (key, bound)
        }
    }
}
