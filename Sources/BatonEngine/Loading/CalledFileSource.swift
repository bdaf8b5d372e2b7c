import Foundation

/// Where the loader reads the files that `uses:` steps name, and the inventory file given with
/// `--inventory`: beside the workflow file on disk, or the copies a run stored (so a resumed run
/// calls what it called and runs on the hosts it ran on, whatever became of the files since).
///
/// Files are known by their path relative to the folder of the run's own file, resolved and
/// normalised without looking at the disk (`a/../b` is `b`), so one file named two ways is one
/// file to the cycle check, and a run directory can store each one once.
package struct CalledFileSource: Sendable {
    /// Why a called file could not be read.
    package enum Failure: Error, Sendable, Hashable {
        /// Missing, a directory, unreadable, a pipe that never ended: the words say which.
        case unreadable(String)
        /// More than the loader's limit; `size` is as much as was seen.
        case tooLarge(size: Int)
    }

    /// The run's own file, as a path relative to its folder.
    package var main: String
    /// The bytes of the file at a resolved path.
    package var read: @Sendable (String) -> Result<[UInt8], Failure>
    /// How problems name the file at a resolved path.
    package var displayName: @Sendable (String) -> String
    /// The absolute folder of the run's own file, from which its `ssh_config:` is found.
    package var folder: String
    /// The absolute path of the inventory file (`--inventory`), read through `read`; nil without one.
    package var inventory: String?
    /// Whether an `ssh_config:` must name a file that exists: true on disk; false for a run's
    /// stored copies, which attach, replay and `baton top` load whatever became of that file
    /// (`baton resume` checks it itself).
    package var checksSSHConfig: Bool

    package init(
        main: String, read: @escaping @Sendable (String) -> Result<[UInt8], Failure>,
        displayName: @escaping @Sendable (String) -> String, folder: String = "", inventory: String? = nil, checksSSHConfig: Bool = true
    ) {
        self.main = main
        self.read = read
        self.displayName = displayName
        self.folder = folder
        self.inventory = inventory
        self.checksSSHConfig = checksSSHConfig
    }

    /// The files on disk, beside `mainFile` (the path the run's own file was given by), and
    /// the inventory file at `inventory` (from the working directory), named in problems as
    /// given. Pipes and devices get `wait` in all, however many files are read.
    package static func files(
        besideFile mainFile: String, inventory: String? = nil, wait: Duration = BoundedFileReader.defaultWait
    ) -> CalledFileSource {
        let folder = folder(of: mainFile)
        let inventoryPath = inventory.map(absolute)
        let deadline = ContinuousClock.now + wait
        return CalledFileSource(
            main: String(mainFile.split(separator: "/").last ?? Substring(mainFile)),
            read: { path in
                let left = max(.zero, deadline - ContinuousClock.now)
                do throws(BoundedFileReader.Failure) {
                    return .success(try BoundedFileReader.read(join(folder, path), limit: WorkflowLoader.maximumFileSize, wait: left))
                } catch {
                    switch error {
                    case .unreadable(let reason): return .failure(.unreadable(reason))
                    case .tooLarge(let size): return .failure(.tooLarge(size: size))
                    case .stalled(let waited, let received):
                        return .failure(.unreadable(BoundedFileReader.describeStall(waited: waited, received: received)))
                    }
                }
            },
            displayName: { path in
                if let inventory, path == inventoryPath { return inventory }
                return join(folder, path)
            },
            folder: absolute(folder.isEmpty ? "." : folder), inventory: inventoryPath)
    }

    /// The texts in `files`, named in problems by `displayName`; a path they do not hold is
    /// not stored with the run. `folder` stands for the folder of the run's own file when
    /// `files` does not record it.
    package static func stored(
        _ files: CalledFiles, folder: String = "", displayName: @escaping @Sendable (String) -> String
    ) -> CalledFileSource {
        var byPath: [String: String] = [:]
        for file in files.files where byPath[file.path] == nil { byPath[file.path] = file.text }
        let texts = byPath
        return CalledFileSource(
            main: files.main,
            read: { path in
                guard let text = texts[path] else {
                    return .failure(.unreadable("the run stored no copy of it, so it was not called when the run started"))
                }
                return .success(Array(text.utf8))
            },
            displayName: displayName, folder: files.folder ?? folder, inventory: files.inventory?.path, checksSSHConfig: false)
    }

    /// The path `path`, written in the file at `includer`, resolves to: relative to the run's
    /// own file's folder, like `includer`; an absolute path as it is. Normalised.
    package static func resolve(_ path: String, from includer: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        let folder = folder(of: includer)
        return normalize(folder.isEmpty ? path : folder + "/" + path)
    }

    /// `path` with `.` and empty parts left out and each `..` taking back the part before it,
    /// without looking at the disk; `..` that go above the start are kept.
    package static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else if part == "..", absolute {
                continue
            } else {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The folder part of `path`: empty for a bare file name, `/` for a file at the root.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        let folder = path[..<slash]
        return folder.isEmpty ? "/" : String(folder)
    }

    /// `path` made absolute from the working directory, normalised.
    static func absolute(_ path: String) -> String {
        join(FileManager.default.currentDirectoryPath, path)
    }

    /// `path` inside `folder`, normalised; an absolute `path` as it is.
    static func join(_ folder: String, _ path: String) -> String {
        if path.hasPrefix("/") || folder.isEmpty { return normalize(path) }
        return normalize(folder + "/" + path)
    }
}
