import Foundation

/// Who is operating Baton: the operating-system user of this process, from its uid.
public enum OperatorIdentity {
    /// The name of the user this process runs as, looked up from the uid (never from `$USER`).
    public static var current: String {
        let uid = getuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    /// The name of the user who owns the file at `path` (a run's `host.sock` is owned by the
    /// user whose Baton serves the run), from the reentrant password lookup; nil when the file
    /// or its owner cannot be looked up.
    public static func owner(ofFile path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var storage = [CChar](repeating: 0, count: 16_384)
        guard getpwuid_r(info.st_uid, &entry, &storage, storage.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return nil
        }
        return String(cString: name)
    }
}
