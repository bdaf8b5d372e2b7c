import Foundation

/// The secrets of the leaky workflow `Tests/Fixtures/secrets-everywhere.yaml`, what must never
/// be seen of them, and a byte-level search for it: shared by the engine and console tests.
public enum SecretsLeakCheck {
    /// The fixture file.
    public static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/secrets-everywhere.yaml").path

    /// The secrets written in the file.
    public static let fileToken = "Zq9FileTok3nXw"
    public static let stepPass = "Pw7StepPassKk"
    /// The secrets Baton finds in its environment.
    public static let environment: [String: String] = [
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
