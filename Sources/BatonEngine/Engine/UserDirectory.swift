import Foundation

/// Answers which groups a user belongs to, for approver entries written `group:NAME`.
///
/// The engine asks its configuration's directory; Baton itself always uses
/// `SystemUserDirectory`. Tests give the engine a `FixedUserDirectory` to play other people,
/// so no environment variable or flag can make the CLI believe in another identity.
public protocol UserDirectory: Sendable {
    /// The names of the groups `user` belongs to, primary group included; empty for an unknown user.
    func groups(of user: String) -> Set<String>
}

/// The operating system's users and groups, from the password and group databases.
public struct SystemUserDirectory: UserDirectory {
    public init() {}

    public func groups(of user: String) -> Set<String> {
        guard let primary = Self.primaryGroup(of: user) else { return [] }
        var count: Int32 = 32
        var ids = [gid_t](repeating: 0, count: Int(count))
        // getgrouplist says how many it needs when the buffer is too small.
        while getgrouplist(user, primary, &ids, &count) < 0 {
            guard count > Int32(ids.count), count < 65_536 else { return [] }
            ids = [gid_t](repeating: 0, count: Int(count))
        }
        return Set(ids.prefix(Int(max(0, count))).compactMap(Self.groupName))
    }

    /// The user's primary group id, from the reentrant password lookup.
    private static func primaryGroup(of user: String) -> gid_t? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var storage = [CChar](repeating: 0, count: 16_384)
        guard getpwnam_r(user, &entry, &storage, storage.count, &result) == 0, result != nil else { return nil }
        return entry.pw_gid
    }

    /// A group's name, from the reentrant group lookup.
    static func groupName(_ id: gid_t) -> String? {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var storage = [CChar](repeating: 0, count: 65_536)
        guard getgrgid_r(id, &entry, &storage, storage.count, &result) == 0, result != nil, let name = entry.gr_name else {
            return nil
        }
        return String(cString: name)
    }
}
