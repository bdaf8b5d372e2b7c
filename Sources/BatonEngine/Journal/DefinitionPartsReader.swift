import CYaml

/// Takes a definition's part digests and step ids (see `DefinitionFingerprint`) straight from
/// libyaml's events, with no node tree, so that a run's start can take them on a second core
/// while the loader composes and decodes the same text on the first.
///
/// The parts are exactly those the walk over the composed document gives: each value is
/// written in the same canonical form and hashed alike. Like `YAMLTreeBuilder`, the reader
/// leaves every unusual document to that walk, returning nil for a syntax error, an anchor or
/// alias, a key that is not a scalar, a key that repeats, or more than one document.
enum DefinitionPartsReader {
    /// The parts and step ids of `text`, or nil when the walk over the composed document must
    /// take them.
    static func read(_ text: String) -> DefinitionFingerprint.Walked? {
        YAMLEventStream.read(text) { events in
            var reader = EventReader(events: events)
            return reader.stream()
        }
    }

    /// Reads events one at a time and writes each value's canonical form.
    private struct EventReader {
        let events: YAMLEventStream
        /// The event read last.
        var event: yaml_event_t { events.event }

        /// The whole stream's parts: none for a stream with no document, or whose document is
        /// not a mapping, as the walk gives none.
        mutating func stream() -> DefinitionFingerprint.Walked? {
            guard next(), event.type == YAML_STREAM_START_EVENT, next() else { return nil }
            if event.type == YAML_STREAM_END_EVENT { return DefinitionFingerprint.Walked() }
            guard event.type == YAML_DOCUMENT_START_EVENT, next() else { return nil }
            var walked = DefinitionFingerprint.Walked()
            if event.type == YAML_MAPPING_START_EVENT {
                guard root(into: &walked) else { return nil }
            } else {
                var ignored: [UInt8] = []
                guard write(to: &ignored) != nil else { return nil }
            }
            guard next(), event.type == YAML_DOCUMENT_END_EVENT,
                  next(), event.type == YAML_STREAM_END_EVENT else { return nil }
            return walked
        }

        /// The root mapping: a part for each setting, and for each field of each step.
        mutating func root(into walked: inout DefinitionFingerprint.Walked) -> Bool {
            guard event.data.mapping_start.anchor == nil else { return false }
            var keys = YAMLKeySet()
            while true {
                guard next() else { return false }
                if event.type == YAML_MAPPING_END_EVENT { return true }
                guard let key = keyString(), keys.insert(key), next() else { return false }
                if key == "steps" && event.type == YAML_MAPPING_START_EVENT {
                    guard steps(into: &walked) else { return false }
                } else {
                    guard let canonical = canonical() else { return false }
                    walked.parts.add(key: key, canonical: canonical)
                }
            }
        }

        /// The steps mapping: each step's id, and a part for each of its fields (one for the
        /// whole step when it is not a mapping).
        mutating func steps(into walked: inout DefinitionFingerprint.Walked) -> Bool {
            guard event.data.mapping_start.anchor == nil else { return false }
            var ids = YAMLKeySet()
            while true {
                guard next() else { return false }
                if event.type == YAML_MAPPING_END_EVENT { return true }
                guard let id = keyString(), ids.insert(id), next() else { return false }
                walked.stepIDs.append(id)
                guard event.type == YAML_MAPPING_START_EVENT else {
                    guard let canonical = canonical() else { return false }
                    walked.parts.add(step: id, field: nil, canonical: canonical)
                    continue
                }
                guard event.data.mapping_start.anchor == nil else { return false }
                var fields = YAMLKeySet()
                while true {
                    guard next() else { return false }
                    if event.type == YAML_MAPPING_END_EVENT { break }
                    guard let field = keyString(), fields.insert(field), next(), let canonical = canonical() else { return false }
                    walked.parts.add(step: id, field: field, canonical: canonical)
                }
            }
        }

        /// The canonical form of the value that starts with the current event.
        mutating func canonical() -> [UInt8]? {
            var canonical: [UInt8] = []
            guard write(to: &canonical) != nil else { return nil }
            return canonical
        }

        /// Appends the canonical form of the value that starts with the current event to `out`
        /// (see `DefinitionFingerprint.canonical`); nil when the walk must take the document.
        mutating func write(to out: inout [UInt8]) -> Void? {
            switch event.type {
            case YAML_SCALAR_EVENT:
                let data = event.data.scalar
                guard data.anchor == nil else { return nil }
                out.append(data.style == YAML_PLAIN_SCALAR_STYLE ? UInt8(ascii: "p") : UInt8(ascii: "q"))
                Self.appendCounted(UnsafeBufferPointer(start: data.value, count: data.length), to: &out)
                return ()
            case YAML_SEQUENCE_START_EVENT:
                guard event.data.sequence_start.anchor == nil else { return nil }
                var items: [UInt8] = []
                var count = 0
                while true {
                    guard next() else { return nil }
                    if event.type == YAML_SEQUENCE_END_EVENT { break }
                    guard write(to: &items) != nil else { return nil }
                    count += 1
                }
                Self.appendGroup("l", count, "[", items, "]", to: &out)
                return ()
            case YAML_MAPPING_START_EVENT:
                guard event.data.mapping_start.anchor == nil else { return nil }
                var pairs: [UInt8] = []
                var keys = YAMLKeySet()
                var count = 0
                while true {
                    guard next() else { return nil }
                    if event.type == YAML_MAPPING_END_EVENT { break }
                    guard let key = keyString(), keys.insert(key) else { return nil }
                    guard write(to: &pairs) != nil, next(), write(to: &pairs) != nil else { return nil }
                    count += 1
                }
                Self.appendGroup("m", count, "{", pairs, "}", to: &out)
                return ()
            default:
                return nil
            }
        }

        /// The current event's text when it is a scalar that may be a key (no anchor); nil otherwise.
        func keyString() -> String? {
            guard event.type == YAML_SCALAR_EVENT, event.data.scalar.anchor == nil else { return nil }
            let data = event.data.scalar
            return String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
        }

        /// Parses the next event into `event`; false on a syntax error.
        func next() -> Bool {
            events.next()
        }

        /// `<byte count>:<bytes>`, as the canonical form writes a string. The bytes are the
        /// string's UTF-8 as Swift reads it, invalid sequences repaired as they are in the tree.
        static func appendCounted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
            let string = String(decoding: bytes, as: UTF8.self)
            out.append(contentsOf: String(string.utf8.count).utf8)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: string.utf8)
        }

        /// `<kind><count><open><contents><close>`, as the canonical form writes a collection.
        static func appendGroup(
            _ kind: Unicode.Scalar, _ count: Int, _ open: Unicode.Scalar, _ contents: [UInt8], _ close: Unicode.Scalar,
            to out: inout [UInt8]
        ) {
            out.append(UInt8(ascii: kind))
            out.append(contentsOf: String(count).utf8)
            out.append(UInt8(ascii: open))
            out.append(contentsOf: contents)
            out.append(UInt8(ascii: close))
        }
    }
}
