import Yams

/// Why a workflow file cannot be run with the secrets in an environment: the checks that let
/// Baton store the file exactly as written and still never write a secret's value to disk.
///
/// Secrets take their values only from the environment. A run is refused when the file's text
/// holds a secret's value (or a line of one that spans lines, as `SecretRedactor` masks it),
/// whether written out, in a comment, or spelt with YAML escapes or folded over lines; when
/// the file itself gives a secret a value in an `env` mapping; and when a secret is shorter
/// than ``minimumLength``, because masking it would mask ordinary text. An empty value hides
/// nothing and is allowed. Problems name the secret, never its value.
package enum SecretsInDefinition {
    /// The shortest secret value Baton accepts, in Unicode scalars: the same bound as the
    /// shortest line of a secret that spans lines that `SecretRedactor` masks on its own.
    package static let minimumLength = SecretRedactor.minimumLineLength

    /// Every reason the file `text` (loaded as `workflow`, named `file` in problems) cannot be
    /// run with the secret values in `environment`; empty when it can.
    package static func problems(
        in text: String, of workflow: Workflow, file: String, environment: [String: String]
    ) -> [SourceProblem] {
        guard !workflow.secrets.isEmpty else { return [] }
        let yaml = LargeStackThread.run { YAMLFacts(text) }
        let source = SourceLines(text)
        var problems: [SourceProblem] = []
        for name in workflow.secrets {
            for place in yaml.envEntries[name] ?? [] {
                problems.append(SourceProblem(
                    file: file, location: place,
                    message: "the file gives the secret '\(name)' a value; Baton takes secrets only from the environment: "
                        + "remove it from 'env' and set \(name) in the environment"))
            }
            guard let value = environment[name], !value.isEmpty else { continue }
            let length = value.unicodeScalars.count
            if length < minimumLength {
                problems.append(SourceProblem(
                    file: file, location: yaml.secretNames[name] ?? .start,
                    message: "the secret '\(name)' is \(length) character\(length == 1 ? "" : "s") long; masking so short a value "
                        + "would hide ordinary text wherever it appears: give \(name) a value of at least \(minimumLength) characters"))
                continue
            }
            problems += occurrences(of: name, value: value, in: text, source: source, yaml: yaml, file: file)
        }
        return problems.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
    }

    /// The same checks over the run's own file `text` (named `file`) and each file it calls,
    /// named by `calledFileName` from its path, for the secrets of the whole `workflow`.
    package static func problems(
        in text: String, calling calledFiles: CalledFiles, of workflow: Workflow, file: String,
        calledFileName: (String) -> String, environment: [String: String]
    ) -> [SourceProblem] {
        problems(in: text, of: workflow, file: file, environment: environment)
            + calledFiles.files.flatMap { called in
                problems(in: called.text, of: workflow, file: calledFileName(called.path), environment: environment)
            }
    }

    /// Where the text holds the value of the secret `name`: each place it is written out, and
    /// each scalar whose value holds it although its text does not (escapes, folding).
    private static func occurrences(
        of name: String, value: String, in text: String, source: SourceLines, yaml: YAMLFacts, file: String
    ) -> [SourceProblem] {
        let redactor = SecretRedactor(values: [value])
        let patterns = redactor.searchedTexts.map { Array($0.utf8) }
        let bytes = Array(text.utf8)
        var written: [Int] = []
        for pattern in patterns { written += byteOffsets(of: pattern, in: bytes) }
        // Byte offsets to scalar indexes, in one pass over the text.
        var places: [SourceLocation] = []
        var scalarIndex = 0
        var byteIndex = 0
        for offset in Set(written).sorted() {
            while byteIndex < offset {
                byteIndex += UTF8.width(source.scalars[scalarIndex])
                scalarIndex += 1
            }
            places.append(source.location(ofScalarIndex: scalarIndex))
        }
        var problems = places.map { place in
            SourceProblem(
                file: file, location: place,
                message: "the file holds the value of the secret '\(name)'; Baton stores the file as written, so a secret may only "
                    + "come from the environment: write $\(name) in its place")
        }
        // A scalar whose text shows no written occurrence between its start and the next node's.
        for (index, scalar) in yaml.scalars.enumerated() where redactor.reveals(scalar.value) {
            let next = index + 1 < yaml.scalars.count ? yaml.scalars[index + 1].location : nil
            let shown = places.contains { place in place >= scalar.location && (next.map { place < $0 } ?? true) }
            if shown { continue }
            problems.append(SourceProblem(
                file: file, location: scalar.location,
                message: "this value spells out the secret '\(name)' (with escapes or over several lines); Baton stores the file as "
                    + "written, so a secret may only come from the environment: write $\(name) in its place"))
        }
        return problems
    }

    /// The offsets at which `pattern` starts in `bytes`.
    private static func byteOffsets(of pattern: [UInt8], in bytes: [UInt8]) -> [Int] {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return [] }
        var offsets: [Int] = []
        for start in 0...(bytes.count - pattern.count) where bytes[start] == pattern[0] {
            if bytes[start..<(start + pattern.count)].elementsEqual(pattern) { offsets.append(start) }
        }
        return offsets
    }
}

/// What the secret checks need from the YAML of a workflow file: every scalar's value and
/// place in document order, where each variable is given a value in an `env` mapping, and
/// where each name is listed in `secrets`.
private struct YAMLFacts: Sendable {
    var scalars: [(value: String, location: SourceLocation)] = []
    var envEntries: [String: [SourceLocation]] = [:]
    var secretNames: [String: SourceLocation] = [:]

    init(_ text: String) {
        guard let document = try? YAMLComposer.compose(text, file: ""), let root = document.root else { return }
        var stack = [root]
        while let node = stack.popLast() {
            switch node {
            case .scalar(let scalar):
                scalars.append((scalar.string, SourceLocation(of: node)))
            case .mapping(let mapping):
                for (key, value) in mapping.reversed() { stack.append(value); stack.append(key) }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence.reversed())
            case .alias:
                continue
            }
        }
        scalars.sort { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        guard case .mapping(let top) = root else { return }
        var envMappings: [Node] = []
        for (key, value) in top {
            switch key.scalar?.string {
            case "env":
                envMappings.append(value)
            case "secrets":
                for item in value.sequence ?? [] {
                    if let name = item.scalar?.string, secretNames[name] == nil { secretNames[name] = SourceLocation(of: item) }
                }
            case "steps":
                for (_, step) in value.mapping ?? [:] {
                    for (field, fieldValue) in step.mapping ?? [:] where field.scalar?.string == "env" {
                        envMappings.append(fieldValue)
                    }
                }
            default:
                break
            }
        }
        for env in envMappings {
            for (key, _) in env.mapping ?? [:] {
                if let name = key.scalar?.string { envEntries[name, default: []].append(SourceLocation(of: key)) }
            }
        }
    }
}
