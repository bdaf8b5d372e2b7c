/// The index of the called workflow files a run stored under `uses/`: which stored file holds
/// each path that `uses:` steps resolve to, and the inventory file (`--inventory`); the run's
/// own file name, which those paths are relative to; and the folder that file was in, when its
/// `ssh_config:` is found from there.
struct CalledFileManifest: Codable, Sendable {
    /// One stored file.
    struct Entry: Codable, Sendable {
        /// The path the loader knows the file by (`CalledFile.path`).
        var path: String
        /// The stored copy's name inside `uses/`.
        var file: String
        /// True for the inventory file; left out for a called workflow.
        var inventory: Bool?
    }

    var main: String
    var files: [Entry]
    /// `CalledFiles.folder`; left out when the run does not need it.
    var folder: String?

    /// The name each file is stored under: a number, then its own name with anything but
    /// letters, digits, `.`, `_` and `-` made `_`, so that any path makes one plain file name.
    static func storedName(of path: String, number: Int) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? "workflow"
        let safe = String(base.unicodeScalars.prefix(64).map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        })
        return "\(number)-\(safe)"
    }
}
