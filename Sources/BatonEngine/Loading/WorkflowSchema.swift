import Foundation

/// The JSON Schema (draft 2020-12) of the workflow format, made from `WorkflowFormat`'s field
/// tables: what `baton schema` prints for editors.
///
/// It describes a workflow as an editor's YAML reader sees it (YAML 1.2's core schema: `3` is a
/// number, `"3"` a string, `yes` a string) and accepts every value the loader reads without a
/// problem of its shape, so it is looser than the loader where the loader reads any scalar as
/// text. What the loader checks beyond shapes (that `needs` names steps, that there is no
/// cycle, that a `when:` parses, that a host exists) stays with `baton validate`.
package enum WorkflowSchema {
    /// The draft the schema follows.
    package static let dialect = "https://json-schema.org/draft/2020-12/schema"

    /// A duration as `DurationParser` reads it: parts of digits, an optional fraction and a
    /// unit, or a bare `0`, with spaces around.
    package static let durationPattern = "^ *(0|([0-9]{1,20}(\\.[0-9]+)?(ms|s|m|h))+) *$"
    /// A duration that is more than zero: one with a digit other than 0.
    package static let positiveDurationPattern = "^(?=[^1-9]*[1-9])" + durationPattern.dropFirst()
    /// A whole number written as a quoted string, as the loader reads one: digits, with a `+`
    /// (or a `-` before zero).
    package static let quotedWholeNumberPattern = "^(\\+?[0-9]+|-0+)$"

    /// The schema as a JSON object.
    package static func document() -> [String: Any] {
        var builder = Builder()
        var root = builder.object(for: WorkflowFormat.topLevel)
        root["$schema"] = dialect
        root["title"] = "Baton workflow"
        root["description"] = "A Baton workflow file: steps, how they depend on each other, and how they run. Made by `baton schema`; see docs/workflow-format.md."
        root["$defs"] = builder.definitions
        return root
    }

    /// The schema as JSON text, keys sorted, ending with a line break.
    package static func text() throws -> String {
        let data = try JSONSerialization.data(withJSONObject: document(), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Turns field tables and shapes into schema objects, each table once under `$defs`.
    private struct Builder {
        var definitions: [String: Any] = [:]

        mutating func object(for table: WorkflowFieldTable) -> [String: Any] {
            var properties: [String: Any] = [:]
            for field in table.allFields {
                var property = schema(for: field.shape)
                property["description"] = field.description
                properties[field.name] = property
            }
            var object: [String: Any] = ["type": "object", "properties": properties, "additionalProperties": false]
            let required = table.allFields.filter(\.isRequired).map(\.name)
            if !required.isEmpty { object["required"] = required }
            if !table.needing.isEmpty { object["dependentRequired"] = table.needing }
            var conditions: [[String: Any]] = table.exclusive.map { keys in ["not": ["required": keys]] }
            for (key, allowed) in table.limiting.sorted(by: { $0.key < $1.key }) {
                conditions.append(["if": ["required": [key]], "then": ["propertyNames": ["enum": allowed]]])
            }
            if !conditions.isEmpty { object["allOf"] = conditions }
            return object
        }

        mutating func schema(for shape: WorkflowValueShape) -> [String: Any] {
            switch shape {
            case .text:
                return ["type": ["string", "number", "boolean"]]
            case .name(let pattern):
                // A plain `true` is a boolean to an editor, and a name to the loader, which reads it as text.
                return Self.name(pattern, ["type": ["string", "boolean"]])
            case .flag:
                return ["enum": [true, false, "true", "True", "TRUE", "false", "False", "FALSE"]]
            case .wholeNumber(let minimum, let maximum):
                // The loader reads whole numbers into an Int, so none is larger than Int.max.
                return [
                    "type": ["integer", "string"], "minimum": minimum, "maximum": maximum ?? Int.max,
                    "pattern": WorkflowSchema.quotedWholeNumberPattern,
                ]
            case .number(let minimum, let maximum):
                var schema: [String: Any] = ["type": "number", "minimum": minimum]
                if let maximum { schema["maximum"] = maximum }
                return schema
            case .duration(let allowsZero):
                return allowsZero
                    ? ["type": ["string", "integer"], "pattern": WorkflowSchema.durationPattern, "minimum": 0, "maximum": 0]
                    : ["type": "string", "pattern": WorkflowSchema.positiveDurationPattern]
            case .oneOf(let words):
                return ["enum": words]
            case .list(let item, let orSingle, let minimumCount, let unique):
                let itemSchema = schema(for: item)
                var list: [String: Any] = ["type": "array", "items": itemSchema]
                if minimumCount > 0 { list["minItems"] = minimumCount }
                if unique { list["uniqueItems"] = true }
                return orSingle ? ["anyOf": [list, itemSchema]] : list
            case .mapping(let table):
                if definitions[table.name] == nil {
                    definitions[table.name] = [String: Any]()
                    definitions[table.name] = object(for: table)
                }
                return ["$ref": "#/$defs/\(table.name)"]
            case .namedMapping(let keys, let values, let minimumCount):
                var mapping: [String: Any] = ["type": "object", "additionalProperties": schema(for: values)]
                if keys != .any { mapping["propertyNames"] = Self.name(keys, [:]) }
                if minimumCount > 0 { mapping["minProperties"] = minimumCount }
                return mapping
            case .either(let shapes):
                return ["anyOf": shapes.map { schema(for: $0) }]
            case .orEmpty(let shape):
                return Self.orNull(schema(for: shape))
            case .matrix:
                let rules: [String: Any] = [
                    "type": "array",
                    "items": [
                        "type": "object", "propertyNames": Self.name(.parameter, [:]), "additionalProperties": schema(for: .text),
                    ] as [String: Any],
                ]
                var include = rules
                include["description"] = "Combinations to add, each a mapping from matrix keys to values."
                var exclude = rules
                exclude["description"] = "Combinations to drop: every one that has all of an entry's pairs."
                return [
                    "type": "object", "minProperties": 1, "propertyNames": Self.name(.parameter, [:]),
                    "properties": ["include": include, "exclude": exclude],
                    "additionalProperties": schema(for: .list(.text, minimumCount: 1)),
                ]
            case .fanOutItems:
                return ["anyOf": [
                    schema(for: .list(.text, minimumCount: 1)),
                    ["type": "string", "pattern": "^[ \\t]*\\$\\{\\{[\\s\\S]*\\}\\}[ \\t]*$", "description": "A step's output that holds a JSON array: `${{ steps.list.outputs.hosts }}`."],
                ]]
            case .batch:
                return ["type": ["integer", "string"], "minimum": 1, "maximum": Int.max, "pattern": "^(\\+?[0-9]+|\\+?0*([1-9][0-9]?|100)%)$"]
            }
        }

        /// `schema` with the pattern and length of names of `pattern`.
        private static func name(_ pattern: WorkflowNamePattern, _ schema: [String: Any]) -> [String: Any] {
            var schema = schema
            if let expression = pattern.regularExpression { schema["pattern"] = expression }
            if let length = pattern.maximumLength { schema["maxLength"] = length }
            return schema
        }

        /// `schema`, or an empty value (JSON's null).
        private static func orNull(_ schema: [String: Any]) -> [String: Any] {
            var schema = schema
            if schema.count == 1, let branches = schema["anyOf"] as? [Any] {
                return ["anyOf": branches + [["type": "null"]]]
            }
            let combines = ["anyOf", "allOf", "$ref", "const"].contains { schema[$0] != nil }
            if !combines, let words = schema["enum"] as? [Any] {
                schema["enum"] = words + [NSNull()]
                return schema
            }
            if !combines, schema["enum"] == nil {
                if let type = schema["type"] as? String {
                    schema["type"] = [type, "null"]
                    return schema
                }
                if let types = schema["type"] as? [String] {
                    schema["type"] = types + ["null"]
                    return schema
                }
            }
            return ["anyOf": [schema, ["type": "null"]]]
        }
    }
}
