import Crypto
import Foundation
import Yams

/// What `run_started` records of the stored `workflow.yaml`, so that `baton resume` runs the
/// definition that ran and refuses an edited one, saying what changed.
///
/// `digest` is the SHA-256 of the whole text: any edit, a comment included, changes it. The
/// `parts` only serve to name an edit: a short digest of each top-level setting (keyed by its
/// name) and of each field of each step (keyed `steps.<id>.<field>`), taken from the YAML
/// values rather than the text, so moving a comment or a blank line changes none of them; one
/// of the whole text of each file the run calls (`uses:`), keyed `uses:<path>`; and one of the
/// inventory file's (`--inventory`), keyed `inventory:<path>`.
package struct DefinitionFingerprint: Sendable, Hashable {
    /// The SHA-256 of the text's UTF-8, in lower-case hex.
    package var digest: String
    /// Short digests of the settings and step fields; empty when the text is not YAML.
    package var parts: DefinitionParts
    /// The step ids in file order, as the YAML lists them.
    package var stepIDs: [String]

    /// How many hex digits of a part's SHA-256 are kept: enough to tell an edit, short enough
    /// that a workflow of a thousand steps keeps a `run_started` line of modest size.
    static let partLength = 16

    /// The prefix of the part that stands for a called file: `uses:<path>`.
    static let calledFilePrefix = "uses:"
    /// The prefix of the part that stands for the inventory file: `inventory:<path>`.
    static let inventoryPrefix = "inventory:"

    /// What the walk over a definition finds: its part digests and its step ids.
    struct Walked: Sendable, Equatable {
        var parts = DefinitionParts.Builder()
        var stepIDs: [String] = []
        /// The text's digest and its parts as built, when made ahead (`finished(for:)`), so
        /// that the thread the walk ran on does that work too.
        var finished: (digest: String, parts: DefinitionParts)?

        /// The same with the digest of `text` and the parts built: what a fingerprint of
        /// `text` alone takes from it without more work.
        func finished(for text: String) -> Walked {
            var walked = self
            walked.finished = (DefinitionFingerprint.sha256(text), parts.build())
            return walked
        }

        static func == (left: Walked, right: Walked) -> Bool {
            left.stepIDs == right.stepIDs && left.parts.build() == right.parts.build()
        }
    }

    /// The fingerprint of the run's own file `text` and the files it calls (and its inventory
    /// file): then the digest covers them too, and each has a part (`uses:<path>` or
    /// `inventory:<path>`, its whole text), so an edit of a stored copy is refused and named
    /// like an edit of the run's own.
    package init(text: String, calledFiles: [CalledFile] = []) {
        self.init(text: text, calledFiles: calledFiles, walked: LargeStackThread.run { Self.walk(text) })
    }

    /// The same, with the parts and step ids of `text` already taken (`walk(_:)`).
    init(text: String, calledFiles: [CalledFile], walked: Walked) {
        if calledFiles.isEmpty, let finished = walked.finished {
            digest = finished.digest
            parts = finished.parts
            stepIDs = walked.stepIDs
            return
        }
        if calledFiles.isEmpty {
            digest = Self.sha256(text)
        } else {
            // The texts' digests, each file's after its path, in path order: any edit of any
            // of them, and any file added, removed or renamed, changes it.
            var summary = "baton definition\n\(Self.sha256(text))\n"
            for file in calledFiles.sorted(by: { $0.path < $1.path }) {
                // The inventory's line is marked, so that it never reads as a called file's.
                summary += "\(file.isInventory ? "inventory " : "")\(file.path.utf8.count):\(file.path) \(Self.sha256(file.text))\n"
            }
            digest = Self.sha256(summary)
        }
        var parts = walked.parts
        for file in calledFiles {
            parts.add(key: (file.isInventory ? Self.inventoryPrefix : Self.calledFilePrefix) + file.path, value: Self.short(file.text))
        }
        self.parts = parts.build()
        stepIDs = walked.stepIDs
    }

    /// The SHA-256 of `text`'s UTF-8 in lower-case hex.
    package static func sha256(_ text: String) -> String {
        hex(digest(of: text), digits: 64)
    }

    /// The SHA-256 of `text`'s UTF-8, hashed where the string keeps it: a workflow of many
    /// steps has a part digest per field, and a copy of each into `Data` showed up in the start
    /// of a run.
    private static func digest(of text: String) -> SHA256.Digest {
        var text = text
        var hasher = SHA256()
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hasher.finalize()
    }

    /// The first `digits` lower-case hex digits of `bytes`, in one pass: a workflow of many
    /// steps has a part digest per field, and formatting each byte as its own string showed
    /// up in the start of a run.
    private static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes, digits: Int) -> String {
        let alphabet = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digits)
        for byte in bytes where out.count < digits {
            out.append(alphabet[Int(byte >> 4)])
            out.append(alphabet[Int(byte & 0x0F)])
        }
        return String(decoding: out.prefix(digits), as: UTF8.self)
    }

    /// The parts and step ids of `text`: read from its events (`DefinitionPartsReader`), or,
    /// for a document the reader leaves alone, walked over the composed document; none when it
    /// does not compose. Call it on a large stack (`LargeStackThread`): both recurse.
    static func walk(_ text: String) -> Walked {
        if let read = DefinitionPartsReader.read(text) { return read }
        guard let document = try? YAMLComposer.compose(text, file: ""), let root = document.root else { return Walked() }
        return walk(root: root)
    }

    /// The parts and step ids of a composed document.
    static func walk(root node: Node) -> Walked {
        guard case .mapping(let root) = node else { return Walked() }
        var walked = Walked()
        for (keyNode, value) in root {
            let key = keyNode.scalar?.string ?? canonical(keyNode)
            guard key == "steps", case .mapping(let steps) = value else {
                walked.parts.add(key: key, canonical: Array(canonical(value).utf8))
                continue
            }
            for (idNode, step) in steps {
                let id = idNode.scalar?.string ?? canonical(idNode)
                walked.stepIDs.append(id)
                guard case .mapping(let fields) = step else {
                    walked.parts.add(step: id, field: nil, canonical: Array(canonical(step).utf8))
                    continue
                }
                for (fieldNode, field) in fields {
                    walked.parts.add(step: id, field: fieldNode.scalar?.string ?? canonical(fieldNode), canonical: Array(canonical(field).utf8))
                }
            }
        }
        return walked
    }

    /// The first `partLength` hex digits of the SHA-256 of `text`.
    private static func short(_ text: String) -> String {
        hex(digest(of: text), digits: partLength)
    }

    /// Appends the first `partLength` hex digits of the SHA-256 of the canonical form
    /// `bytes` to `out`.
    static func appendShortDigest(of bytes: [UInt8], to out: inout [UInt8]) {
        let alphabet: StaticString = "0123456789abcdef"
        alphabet.withUTF8Buffer { alphabet in
            for byte in SHA256.hash(data: bytes).prefix(partLength / 2) {
                out.append(alphabet[Int(byte >> 4)])
                out.append(alphabet[Int(byte & 0x0F)])
            }
        }
    }

    /// `node` written so that two nodes read the same exactly when they hold the same values:
    /// every string is length-prefixed, and plain scalars are told from quoted and block ones
    /// (YAML reads `3` and `"3"` differently).
    private static func canonical(_ node: Node) -> String {
        var out = ""
        append(node, to: &out)
        return out
    }

    private static func append(_ node: Node, to out: inout String) {
        switch node {
        case .scalar(let scalar):
            out += scalar.style == .plain ? "p" : "q"
            out += "\(scalar.string.utf8.count):\(scalar.string)"
        case .mapping(let mapping):
            out += "m\(mapping.count){"
            for (key, value) in mapping {
                append(key, to: &out)
                append(value, to: &out)
            }
            out += "}"
        case .sequence(let sequence):
            out += "l\(sequence.count)["
            for item in sequence { append(item, to: &out) }
            out += "]"
        case .alias(let alias):
            out += "a\(alias.anchor.rawValue.utf8.count):\(alias.anchor.rawValue)"
        }
    }
}
