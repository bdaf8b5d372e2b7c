import Foundation

/// The secrets of the leaky workflows in `Tests/Fixtures`, what must never be seen of them, and
/// a byte-level search for it: shared by the engine and console tests.
public enum SecretsLeakCheck {
    /// The leaky workflow that runs: its steps print the secrets every way they can, and its
    /// text holds none of them.
    public static let path = fixture("secrets-everywhere.yaml")
    /// The same secrets written in the workflow file itself (in `env`, names, notes, a prompt,
    /// a condition, a directory): Baton refuses to run it, and masks them where it shows it.
    public static let inTheFilePath = fixture("secrets-in-the-file.yaml")

    private static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)").path
    }

    /// The secrets `inTheFilePath` writes in the file (it gives `FILE_TOKEN` in `env` and
    /// `STEP_PASS` in a step's `env`).
    public static let fileToken = "Zq9FileTok3nXw"
    public static let stepPass = "Pw7StepPassKk"
    /// The secrets Baton finds in its environment: every secret of the runnable workflow.
    public static let environment: [String: String] = [
        "FILE_TOKEN": fileToken,
        "STEP_PASS": stepPass,
        "SHELL_SECRET": "Sh3llSecretVv8",
        "SUB_SECRET": "3llSecret",
        "OVERLAP_A": "Ov1AbcXYZq",
        "OVERLAP_B": "XYZq9Ov2",
        "MULTI_KEY": "-----BEGIN TEST KEY-----\nMlineOneAbCdEf\nMlineTwoGhIjKl\n-----END TEST KEY-----",
    ]

    /// What must never be seen: every value, every line of the one that spans lines, and the
    /// pieces a partial mask would leave (the end of an overlapping secret, the halves of one
    /// printed in two writes or cut at a line split).
    public static let forbidden: [String] = [fileToken, stepPass] + environment.values.sorted()
        + ["MlineOneAbCdEf", "MlineTwoGhIjKl", "BEGIN TEST KEY", "9Ov2", "Sh3llS", "ecretVv8", "Zq9File", "Tok3nXw"]

    /// The forbidden strings found in `bytes`, compared byte for byte.
    public static func leaks(in bytes: [UInt8]) -> [String] {
        forbidden.filter { contains(bytes, Array($0.utf8)) }
    }

    /// The forbidden strings found in `text`, compared byte for byte.
    public static func leaks(in text: String) -> [String] {
        leaks(in: Array(text.utf8))
    }

    /// Whether `needle` occurs in `haystack`.
    public static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pattern in
                guard let hayBase = hay.baseAddress, let patternBase = pattern.baseAddress,
                      !pattern.isEmpty, hay.count >= pattern.count else { return false }
                var start = 0
                while start + pattern.count <= hay.count,
                      let hit = memchr(hayBase + start, Int32(pattern[0]), hay.count - pattern.count - start + 1) {
                    if memcmp(hit, patternBase, pattern.count) == 0 { return true }
                    start = UnsafeRawPointer(hayBase).distance(to: UnsafeRawPointer(hit)) + 1
                }
                return false
            }
        }
    }
}
