import Foundation

/// Who is at the other end of a Unix socket, as the kernel vouches for it (`SO_PEERCRED`).
public struct PeerCredentials: Sendable, Hashable {
    public var pid: pid_t
    public var uid: uid_t
    public var gid: gid_t

    /// `struct ucred`, which Glibc's module does not export (it needs `_GNU_SOURCE`).
    private struct Ucred {
        var pid: pid_t = 0
        var uid: uid_t = 0
        var gid: gid_t = 0
    }

    /// The credentials of the peer of a connected socket, or nil if the kernel gives none.
    public init?(socket: Int32) {
        var cred = Ucred()
        var length = socklen_t(MemoryLayout<Ucred>.size)
        guard getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &cred, &length) == 0, length == MemoryLayout<Ucred>.size else { return nil }
        pid = cred.pid
        uid = cred.uid
        gid = cred.gid
    }

    /// The user's name, as the commands of the run record it; "uid N" when it has none.
    public var userName: String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return "uid \(uid)"
        }
        return String(cString: name)
    }
}
