/// Reads an inventory host's ssh destination, `[user@]address[:port]`, refusing anything `ssh`
/// could take for an option or a shell could read as more than one word.
///
/// A user and an address hold only letters, digits, `.`, `-` and `_`, and neither starts with
/// `-`, so a destination is always one plain argument: nothing in it can start an option
/// (`-oProxyCommand=…`), expand, quote or split. An IPv6 address is written in brackets
/// (`[2001:db8::1]:22`) and kept without them, as `ssh` takes it.
enum HostDestination {
    /// A destination as `InventoryHost` keeps it.
    struct Parsed: Sendable, Hashable {
        /// `user@address` or `address`.
        var destination: String
        var port: Int?
    }

    /// Why a text is not a destination: a phrase such as "the port must be …".
    struct Problem: Error, Sendable, Hashable {
        var reason: String
    }

    /// The longest destination accepted, in characters.
    static let maximumLength = 255

    /// `text` as a destination, `[user@]address[:port]`, or why it is not one.
    static func parse(_ text: String) -> Result<Parsed, Problem> {
        if text.hasPrefix("-") { return .failure(Problem(reason: "it starts with '-', which ssh would read as an option")) }
        if let problem = characterProblem(text, allowing: "@:[]") { return .failure(problem) }
        var rest = Substring(text)
        var user: String?
        if let at = rest.firstIndex(of: "@") {
            guard rest[rest.index(after: at)...].firstIndex(of: "@") == nil else {
                return .failure(Problem(reason: "it holds more than one '@'"))
            }
            let name = String(rest[..<at])
            if let problem = userProblem(name) { return .failure(problem) }
            user = name
            rest = rest[rest.index(after: at)...]
        }
        let address: String
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else {
                return .failure(Problem(reason: "the '[' before the address has no ']'"))
            }
            address = String(rest[rest.index(after: rest.startIndex)..<close])
            if let problem = ipv6Problem(address) { return .failure(problem) }
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    return .failure(Problem(reason: "after ']' comes ':' and the port, not '\(after)'"))
                }
                portText = after.dropFirst()
            }
        } else {
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else {
                return .failure(Problem(reason: "it holds more than one ':'; write an IPv6 address in brackets, such as [2001:db8::1]:22"))
            }
            if rest.contains("[") || rest.contains("]") {
                return .failure(Problem(reason: "only an IPv6 address goes in brackets, such as [2001:db8::1]:22"))
            }
            address = String(parts[0])
            if let problem = addressProblem(address) { return .failure(problem) }
            if parts.count == 2 { portText = parts[1] }
        }
        var port: Int?
        if let portText {
            switch self.port(String(portText)) {
            case .success(let value): port = value
            case .failure(let problem): return .failure(problem)
            }
        }
        return .success(Parsed(destination: user.map { "\($0)@\(address)" } ?? address, port: port))
    }

    /// The long form's `address:`: a host name, an IPv4 address, or an IPv6 address with or
    /// without brackets; kept without them.
    static func address(_ text: String) -> Result<String, Problem> {
        if let problem = characterProblem(text, allowing: ":[]") { return .failure(problem) }
        if text.hasPrefix("["), text.hasSuffix("]"), text.count >= 2 {
            let inner = String(text.dropFirst().dropLast())
            return ipv6Problem(inner).map { .failure($0) } ?? .success(inner)
        }
        if text.contains(":") { return ipv6Problem(text).map { .failure($0) } ?? .success(text) }
        return addressProblem(text).map { .failure($0) } ?? .success(text)
    }

    /// The long form's `user:`.
    static func user(_ text: String) -> Result<String, Problem> {
        if let problem = characterProblem(text, allowing: "") { return .failure(problem) }
        return userProblem(text).map { .failure($0) } ?? .success(text)
    }

    /// A port: a whole number from 1 to 65535, digits only.
    static func port(_ text: String) -> Result<Int, Problem> {
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), text.utf8.count <= 5,
              let value = Int(text), (1...65535).contains(value) else {
            return .failure(Problem(reason: "the port must be a whole number from 1 to 65535, not '\(text.prefix(20))'"))
        }
        return .success(value)
    }

    // MARK: - Checks

    /// Whether `scalar` may be part of a user or an address.
    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "-" || scalar == "_"
    }

    /// Why `text` cannot be (part of) a destination at all: empty, too long, or a character
    /// outside the names' and `extra`.
    private static func characterProblem(_ text: String, allowing extra: String) -> Problem? {
        if text.isEmpty { return Problem(reason: "it is empty") }
        if text.unicodeScalars.count > maximumLength { return Problem(reason: "it is longer than \(maximumLength) characters") }
        guard let bad = text.unicodeScalars.first(where: { !isNameCharacter($0) && !extra.unicodeScalars.contains($0) }) else { return nil }
        if bad.properties.isWhitespace { return Problem(reason: "it holds a space or a line break, so it would not be one word") }
        if bad.value < 0x20 || bad.value == 0x7F { return Problem(reason: "it holds a control character") }
        return Problem(reason: "it holds '\(Character(bad))'; a user and an address hold only letters, digits, '.', '-' and '_'")
    }

    private static func userProblem(_ user: String) -> Problem? {
        if user.isEmpty { return Problem(reason: "there is no user before '@'") }
        if user.hasPrefix("-") { return Problem(reason: "the user starts with '-', which ssh would read as an option") }
        if let bad = user.unicodeScalars.first(where: { !isNameCharacter($0) }) {
            return Problem(reason: "the user holds '\(Character(bad))'; a user holds only letters, digits, '.', '-' and '_'")
        }
        return nil
    }

    private static func addressProblem(_ address: String) -> Problem? {
        if address.isEmpty { return Problem(reason: "there is no address") }
        if address.hasPrefix("-") { return Problem(reason: "the address starts with '-', which ssh would read as an option") }
        if let bad = address.unicodeScalars.first(where: { !isNameCharacter($0) }) {
            return Problem(reason: "the address holds '\(Character(bad))'; an address holds only letters, digits, '.', '-' and '_'")
        }
        return nil
    }

    /// Why `address` (between brackets) is not an IPv6 address: hex digits, ':' and '.' (a
    /// trailing IPv4 part), with at least two ':'.
    private static func ipv6Problem(_ address: String) -> Problem? {
        let allowed = address.unicodeScalars.allSatisfy { scalar in
            ("0"..."9").contains(scalar) || ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar) || scalar == ":" || scalar == "."
        }
        guard allowed, address.filter({ $0 == ":" }).count >= 2 else {
            return Problem(reason: "'\(address.prefix(60))' is not an IPv6 address; only an IPv6 address goes in brackets")
        }
        return nil
    }
}
