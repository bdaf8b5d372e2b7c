/// Making a dynamic fan-out's instances from the JSON array its source step wrote.
extension FanOutExpansion {
    /// The instances of fan-out step `group` for the items of the JSON array `text`.
    ///
    /// Each item reaches its instance as `$BATON_ITEM`: a string as it is, a number, `true` or
    /// `false` as written, an array or object as compact JSON. Instances are named after their
    /// items (`deploy[web1]`) when every item is a string, number or boolean that can name an
    /// instance, no two alike, and none is to be hidden (`hides`, a secret's value); otherwise
    /// after their positions from 1 (`deploy[1]`). At most `limit` items are taken.
    public static func make(
        group: String, from text: String, source: FanOutSource, limit: Int, hides: (String) -> Bool = { _ in false }
    ) throws(FanOutItemsError) -> FanOutExpansion {
        let what = "for_each: the output '\(source.key)' of '\(source.step)'"
        let value: ConditionValue
        do {
            value = try ConditionJSONReader.read(text)
        } catch {
            throw FanOutItemsError("\(what) is not a JSON array: at character \(error.offset + 1), \(error.message)")
        }
        guard case .array(let values) = value else {
            throw FanOutItemsError("\(what) is \(Self.describe(value)), not a JSON array of items")
        }
        guard values.count <= limit else {
            throw FanOutItemsError(
                "\(what) holds \(values.count) items, more than the \(limit) instances the run may still make "
                    + "(\(StepGroup.maximumInstances) in all); split the work into fewer, larger items")
        }
        let items = values.map(\.text)
        var seen: Set<String> = []
        let named = values.allSatisfy { value in
            switch value {
            case .string, .number, .bool:
                return StepGroup.isInstanceLabel(value.text) && !hides(value.text) && seen.insert(value.text).inserted
            default:
                return false
            }
        }
        let labels = named ? items : items.indices.map { String($0 + 1) }
        return FanOutExpansion(group: group, instances: labels.map { "\(group)[\($0)]" }, items: items)
    }

    private static func describe(_ value: ConditionValue) -> String {
        switch value {
        case .string(let text): return "the string \"\(text.prefix(40))\(text.count > 40 ? "…" : "")\""
        case .number(let number): return "the number \(ConditionValue.number(number).text)"
        case .bool(let bool): return bool ? "true" : "false"
        case .null: return "null"
        case .object: return "a JSON object"
        case .array: return "an array"
        }
    }
}
