import CYaml
import Yams

/// Builds the node tree of a plain YAML document straight from libyaml's events, for the common
/// case, and leaves everything else to Yams.
///
/// Yams composes the same tree, but allocates an object for every event and checks each
/// mapping for repeated keys by hashing its nodes; on a file of 10,000 steps that was most of
/// the time to the console's first frame. This builder makes the nodes exactly as Yams does
/// (the same tags, styles and marks, and keys' tags resolved as Yams's check leaves them) and
/// returns nil for anything it does not handle itself: a syntax error, an anchor or alias, a
/// key that is not a scalar, a key that repeats, or more than one document. The caller
/// then composes with Yams, so every error and every unusual document reads exactly as before.
enum YAMLTreeBuilder {
    /// What the text holds: `.document(root, shape)`, `.empty` for a stream with no document,
    /// or nil when Yams must compose it.
    enum Outcome {
        case document(Node, Shape)
        case empty
    }

    /// What `DocumentScanner` would count of a built tree, taken while building it, so that a
    /// tree well within the scanner's limits need not be walked again.
    struct Shape: Equatable {
        /// The values the scanner counts against its budget: a mapping counts one and two for
        /// each pair, a sequence one and one for each item.
        var visited = 0
        /// The depth of the deepest collection that holds anything, the root at 1; 0 for none.
        var deepestFilled = 0
    }

    /// The tree of `text`, or nil when Yams must compose it.
    static func build(_ text: String) -> Outcome? {
        guard canMakeMarks else { return nil }
        return YAMLEventStream.read(text) { events in
            var reader = EventReader(events: events)
            return reader.stream()
        }
    }

    /// A mark at `line` and `column`. Yams keeps `Mark`'s initializer to itself, so the mark is
    /// made from its two stored integers; `canMakeMarks` checks once that this reads back right,
    /// and the builder leaves every document to Yams if it does not.
    static func mark(line: Int, column: Int) -> Mark {
        unsafeBitCast((line, column), to: Mark.self)
    }

    /// Whether `mark(line:column:)` makes the marks Yams would.
    static let canMakeMarks: Bool = {
        guard MemoryLayout<Mark>.size == MemoryLayout<(Int, Int)>.size else { return false }
        let probe = mark(line: 3, column: 7)
        return probe.line == 3 && probe.column == 7
    }()

    /// Reads events one at a time and builds nodes from them.
    private struct EventReader {
        let events: YAMLEventStream
        /// The event read last.
        var event: yaml_event_t { events.event }

        init(events: YAMLEventStream) {
            self.events = events
            keyTag = Tag(.str, .basic, constructor)
        }
        /// One constructor for every tag, as Yams's parser keeps one: `Constructor.default`
        /// makes a new one, with its tables, each time it is read.
        let constructor = Constructor.default
        /// The tag of every key that is a plain or quoted string: Yams's repeated-key check
        /// resolves each such key's tag to `str` in place, so one tag already resolved, never
        /// changed again, serves all the keys of this tree instead of one object each.
        let keyTag: Tag
        /// What the scanner would count of the nodes built so far.
        var shape = Shape()
        /// How deep the node being built sits, the root at 1.
        var depth = 0

        /// The whole stream: one document, or none.
        mutating func stream() -> Outcome? {
            guard next(), event.type == YAML_STREAM_START_EVENT, next() else { return nil }
            if event.type == YAML_STREAM_END_EVENT { return .empty }
            guard event.type == YAML_DOCUMENT_START_EVENT, next(), let root = node(),
                  next(), event.type == YAML_DOCUMENT_END_EVENT,
                  next(), event.type == YAML_STREAM_END_EVENT else { return nil }
            return .document(root, shape)
        }

        /// Parses the next event into `event`; false on a syntax error.
        func next() -> Bool {
            events.next()
        }

        /// The node that starts with the current event.
        mutating func node() -> Node? {
            depth += 1
            defer { depth -= 1 }
            switch event.type {
            case YAML_SCALAR_EVENT: return scalar()
            case YAML_SEQUENCE_START_EVENT: return sequence()
            case YAML_MAPPING_START_EVENT: return mapping()
            default: return nil
            }
        }

        /// The current scalar event's node, as Yams's `loadScalar` makes it.
        mutating func scalar(asKey: Bool = false) -> Node? {
            let data = event.data.scalar
            guard data.anchor == nil, let style = Node.Scalar.Style(rawValue: numericCast(data.style.rawValue)) else { return nil }
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let tagName: String? = data.quoted_implicit == 1 ? Tag.Name.str.rawValue : Self.string(data.tag)
            if asKey, tagName == nil || tagName == Tag.Name.str.rawValue {
                return .scalar(.init(value, keyTag, style, mark, nil))
            }
            let node = Node.scalar(.init(value, tag(tagName), style, mark, nil))
            // Yams's repeated-key check hashes every key, which resolves its tag in place.
            if asKey { _ = node.tag }
            return node
        }

        /// The sequence that starts with the current event, as Yams's `loadSequence` makes it.
        mutating func sequence() -> Node? {
            let start = event.data.sequence_start
            guard start.anchor == nil else { return nil }
            let nodeTag = tag(start.implicit != 0 ? nil : Self.string(start.tag))
            let startMark = mark
            var nodes: [Node] = []
            while true {
                guard next() else { return nil }
                if event.type == YAML_SEQUENCE_END_EVENT { break }
                guard let item = node() else { return nil }
                nodes.append(item)
            }
            shape.visited += 1 + nodes.count
            if !nodes.isEmpty { shape.deepestFilled = max(shape.deepestFilled, depth) }
            // Yams reads the style from the end event, which carries none.
            return .sequence(.init(nodes, nodeTag, .any, startMark, nil))
        }

        /// The mapping that starts with the current event, as Yams's `loadMapping` makes it.
        mutating func mapping() -> Node? {
            let start = event.data.mapping_start
            guard start.anchor == nil else { return nil }
            let nodeTag = tag(start.implicit != 0 ? nil : Self.string(start.tag))
            let startMark = mark
            var pairs: [(Node, Node)] = []
            var keys = YAMLKeySet()
            while true {
                guard next() else { return nil }
                if event.type == YAML_MAPPING_END_EVENT { break }
                guard event.type == YAML_SCALAR_EVENT, let key = scalar(asKey: true), case .scalar(let keyScalar) = key,
                      keys.insert(keyScalar.string) else { return nil }
                guard next(), let value = node() else { return nil }
                pairs.append((key, value))
            }
            shape.visited += 1 + 2 * pairs.count
            if !pairs.isEmpty { shape.deepestFilled = max(shape.deepestFilled, depth) }
            return .mapping(.init(pairs, nodeTag, .any, startMark, nil))
        }

        /// Where the current event starts, counted from 1 as Yams counts.
        var mark: Mark {
            YAMLTreeBuilder.mark(line: event.start_mark.line + 1, column: event.start_mark.column + 1)
        }

        /// A tag named `name` (implicit when nil) with the resolver and constructor
        /// `YAMLComposer` composes with.
        func tag(_ name: String?) -> Tag {
            Tag(name.map { Tag.Name(rawValue: $0) } ?? .implicit, .basic, constructor)
        }

        /// The C string at `pointer`, repairing invalid UTF-8 as Yams does; nil for no pointer.
        static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
            guard let pointer else { return nil }
            return String.decodeCString(pointer, as: UTF8.self, repairingInvalidCodeUnits: true)?.result
        }
    }
}
