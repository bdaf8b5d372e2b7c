import BatonEngine
import BatonTestSupport
import Foundation

/// Validates JSON documents against `baton schema`'s schema with a real validator: the
/// `jsonschema` package of Python 3 (Debian's python3-jsonschema, which `.ci/run` installs),
/// run as a child process once for many documents.
struct SchemaValidator {
    /// What the validator said of one document: nil when it is valid, else its first error.
    typealias Verdict = String?

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Checks `schema` against the draft 2020-12 meta-schema (`Draft202012Validator.check_schema`),
    /// then validates each of `documents` (JSON texts, one line each) against it.
    /// Debian's own Python, which Debian's python3-jsonschema installs into, when there is one
    /// (a `python3` earlier on PATH, such as pyenv's, would not see that package); else `python3`.
    static let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "python3"

    static func validate(_ documents: [String], schema: String) async throws -> [Verdict] {
        let folder = NSTemporaryDirectory() + "baton-schema-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try schema.write(toFile: folder + "/schema.json", atomically: true, encoding: .utf8)
        try (documents.joined(separator: "\n") + "\n").write(toFile: folder + "/documents.jsonl", atomically: true, encoding: .utf8)
        try script.write(toFile: folder + "/validate.py", atomically: true, encoding: .utf8)
        let result: ChildProcess.Result
        do {
            result = try await ChildProcess.finish(python, [folder + "/validate.py", folder + "/schema.json", folder + "/documents.jsonl"], within: .seconds(300))
        } catch {
            throw Failure(description: "python3 did not run (.ci/run installs python3-jsonschema): \(error)")
        }
        guard result.status == 0 else {
            throw Failure(description: "the validator failed (\(result.status); is python3-jsonschema installed? .ci/run installs it): \(result.output)")
        }
        var verdicts: [Verdict] = []
        for line in result.output.split(separator: "\n") {
            if line == "valid" { verdicts.append(nil) }
            else if line.hasPrefix("invalid\t") { verdicts.append(String(line.dropFirst("invalid\t".count))) }
        }
        guard verdicts.count == documents.count else {
            throw Failure(description: "the validator judged \(verdicts.count) of \(documents.count) documents: \(result.output.prefix(2000))")
        }
        return verdicts
    }

    /// Prints `valid`, or `invalid` and the first error, for each line of the documents file.
    private static let script = #"""
        import json, sys
        from jsonschema import Draft202012Validator
        with open(sys.argv[1]) as file:
            schema = json.load(file)
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        with open(sys.argv[2]) as file:
            for line in file:
                if not line.strip():
                    continue
                errors = sorted(validator.iter_errors(json.loads(line)), key=lambda error: list(error.absolute_path))
                if errors:
                    where = "/".join(str(part) for part in errors[0].absolute_path)
                    print("invalid\t" + where + ": " + errors[0].message.replace("\n", " ")[:300])
                else:
                    print("valid")
        """#
}

