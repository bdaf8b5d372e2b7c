/// Replaces the values of secret variables with `***` in text Baton stores or shows.
public struct SecretRedactor: Sendable, Hashable {
    /// The secret values, longest first so that a value containing another is masked whole.
    public let values: [String]

    public init(values: [String]) {
        self.values = Array(Set(values.filter { !$0.isEmpty })).sorted { $0.count > $1.count }
    }

    /// The values of the workflow's `secrets`, looked up in the workflow's `env` and then in `environment`.
    public init(workflow: Workflow, environment: [String: String]) {
        var found: [String] = []
        for name in workflow.secrets {
            if let value = workflow.env[name] { found.append(value) }
            if let value = environment[name] { found.append(value) }
            for step in workflow.steps { if let value = step.env[name] { found.append(value) } }
        }
        self.init(values: found)
    }

    public var isEmpty: Bool { values.isEmpty }

    /// The text with every secret value replaced by `***`.
    public func redact(_ text: String) -> String {
        guard !values.isEmpty else { return text }
        var result = text
        for value in values where result.contains(value) {
            result = result.replacingOccurrences(of: value, with: "***")
        }
        return result
    }

    /// The bytes with every secret value's UTF-8 replaced by `***`: for output kept as the
    /// bytes the step printed, which need not be valid UTF-8 (see `OutputLine.raw`).
    public func redact(bytes: [UInt8]) -> [UInt8] {
        guard !values.isEmpty else { return bytes }
        var result = bytes
        for value in values { result = Self.replacing(Array(value.utf8), in: result) }
        return result
    }

    /// `bytes` with each occurrence of `needle` replaced by `***`, from the left.
    private static func replacing(_ needle: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard let first = needle.first, bytes.count >= needle.count else { return bytes }
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        let last = bytes.count - needle.count
        while index <= last {
            if bytes[index] == first && bytes[index..<index + needle.count].elementsEqual(needle) {
                output.append(contentsOf: bytes[copied..<index])
                output.append(contentsOf: [0x2A, 0x2A, 0x2A])
                index += needle.count
                copied = index
            } else {
                index += 1
            }
        }
        guard copied > 0 else { return bytes }
        output.append(contentsOf: bytes[copied...])
        return output
    }

    /// The text, or nil, redacted.
    public func redact(_ text: String?) -> String? { text.map { redact($0) } }

    /// A mapping with every value redacted.
    public func redact(_ mapping: [String: String]) -> [String: String] {
        guard !values.isEmpty else { return mapping }
        return mapping.mapValues { redact($0) }
    }
}
