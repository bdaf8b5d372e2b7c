/// The `definition_parts` of `run_started` (see `DefinitionFingerprint`): a short digest of
/// each top-level setting, of each field of each step and of each stored file, by name.
///
/// They are kept as the JSON object the journal writes, its keys in sorted order: at 10,000
/// steps a dictionary of them held two strings of their own for each of 20,000 parts,
/// 3.6 MB, while the JSON is under 1 MB and is written into `run_started` as it is.
public struct DefinitionParts: Sendable, Hashable {
    /// The parts as a JSON object of strings, keys in the order `String` sorts them.
    package let json: [UInt8]

    /// The parts `entries` holds.
    public init(_ entries: [String: String]) {
        var builder = Builder()
        for (key, value) in entries { builder.add(key: key, value: value) }
        self = builder.build()
    }

    private init(json: [UInt8]) {
        self.json = json
    }

    /// The parts by name, read back from the JSON.
    public var dictionary: [String: String] {
        var parser = FlatJSONParser(json)
        // Only this type writes `json`, so it always reads back.
        return parser.mapping() ?? [:]
    }

    /// True when there are no parts.
    public var isEmpty: Bool { json.count <= 2 }

    /// Collects parts, then writes them as sorted JSON, with no string made for any of them.
    struct Builder {
        /// Each part's key and value, one after the other.
        private var bytes: [UInt8] = []
        /// Where each part's key starts and ends and its value ends, in `bytes`.
        private var bounds: [(keyStart: Int32, keyEnd: Int32, valueEnd: Int32)] = []
        /// Whether every key is ASCII, whose byte order is the order `String` sorts in.
        private var keysAreASCII = true

        /// Adds the part `key` whose digest is the short digest of `canonical`.
        mutating func add(key: String, canonical: [UInt8]) {
            let start = bytes.count
            append(key: key.utf8)
            appendDigest(of: canonical, keyStart: start)
        }

        /// Adds the part of step `id`'s `field` (`steps.<id>.<field>`), or of the whole step
        /// when `field` is nil (`steps.<id>`), whose digest is the short digest of `canonical`.
        mutating func add(step id: String, field: String?, canonical: [UInt8]) {
            let start = bytes.count
            append(key: "steps.".utf8)
            append(key: id.utf8)
            if let field {
                bytes.append(UInt8(ascii: "."))
                append(key: field.utf8)
            }
            appendDigest(of: canonical, keyStart: start)
        }

        /// Adds the part `key` with the digest `value` as given.
        mutating func add(key: String, value: String) {
            let start = bytes.count
            append(key: key.utf8)
            let keyEnd = bytes.count
            bytes.append(contentsOf: value.utf8)
            bounds.append((Int32(start), Int32(keyEnd), Int32(bytes.count)))
        }

        private mutating func append<Key: Collection<UInt8>>(key: Key) {
            if keysAreASCII && key.contains(where: { $0 >= 0x80 }) { keysAreASCII = false }
            bytes.append(contentsOf: key)
        }

        private mutating func appendDigest(of canonical: [UInt8], keyStart: Int) {
            let keyEnd = bytes.count
            DefinitionFingerprint.appendShortDigest(of: canonical, to: &bytes)
            bounds.append((Int32(keyStart), Int32(keyEnd), Int32(bytes.count)))
        }

        /// The parts, sorted by key; of parts with the same key, the last added.
        func build() -> DefinitionParts {
            var order = Array(bounds.indices)
            // Where a key and the next in order are the same key, as a dictionary tells them.
            var sameAsNext = Array(repeating: false, count: order.count)
            bytes.withUnsafeBufferPointer { bytes in
                func key(_ index: Int) -> UnsafeBufferPointer<UInt8> {
                    UnsafeBufferPointer(rebasing: bytes[Int(bounds[index].keyStart)..<Int(bounds[index].keyEnd)])
                }
                if keysAreASCII {
                    order.sort { left, right in
                        let (a, b) = (key(left), key(right))
                        return a.lexicographicallyPrecedes(b) || (a.elementsEqual(b) && left < right)
                    }
                    for position in order.indices.dropLast() {
                        sameAsNext[position] = key(order[position]).elementsEqual(key(order[position + 1]))
                    }
                } else {
                    // Non-ASCII keys (a called file's path) sort, and equal, as `String` has them.
                    let keys = order.map { String(decoding: key($0), as: UTF8.self) }
                    order.sort { left, right in keys[left] < keys[right] || (keys[left] == keys[right] && left < right) }
                    for position in order.indices.dropLast() {
                        sameAsNext[position] = keys[order[position]] == keys[order[position + 1]]
                    }
                }
            }
            var json: [UInt8] = []
            json.reserveCapacity(bytes.count + 6 * bounds.count + 2)
            json.append(UInt8(ascii: "{"))
            var wroteOne = false
            for (position, index) in order.enumerated() {
                // Of a run of equal keys, the last added stands, as in a dictionary.
                if sameAsNext[position] { continue }
                let part = bounds[index]
                let keyRange = Int(part.keyStart)..<Int(part.keyEnd)
                if wroteOne { json.append(UInt8(ascii: ",")) }
                wroteOne = true
                RunEvent.appendJSONString(utf8: bytes[keyRange], to: &json)
                json.append(UInt8(ascii: ":"))
                RunEvent.appendJSONString(utf8: bytes[Int(part.keyEnd)..<Int(part.valueEnd)], to: &json)
            }
            json.append(UInt8(ascii: "}"))
            return DefinitionParts(json: json)
        }
    }
}

extension DefinitionParts: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements) { _, last in last })
    }
}

extension DefinitionParts: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode([String: String].self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dictionary)
    }
}
