/// A directory of users and groups given as a table: the test seam for other identities.
public struct FixedUserDirectory: UserDirectory {
    public var memberships: [String: Set<String>]

    /// `memberships` maps each user name to the groups it belongs to.
    public init(_ memberships: [String: Set<String>]) {
        self.memberships = memberships
    }

    public func groups(of user: String) -> Set<String> { memberships[user] ?? [] }
}
