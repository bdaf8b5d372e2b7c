import Foundation

/// Who is operating Baton: the operating-system user of this process, from its uid.
public enum OperatorIdentity {
    /// The name of the user this process runs as, looked up from the uid (never from `$USER`).
    public static var current: String {
        let uid = getuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }
}
