/// The hosts inventory in generated workflows: random `hosts:`, `groups:`, `ssh_config:` and
/// steps' `on:`, most of them good, the rest from pools of unsafe destinations and bad names;
/// and fixed hostile documents that attack the inventory's limits.
extension MalformedWorkflowGenerator {
    /// Destinations `hosts:` refuses: option-looking, shell-looking, bad ports and brackets.
    static let badDestinations = [
        "-oProxyCommand=sh", "\"a b\"", "x@y:0", "x@y:65536", "'$(reboot)'", "a@b@c", "\"2001:db8::1\"", "\"[::1\"", "'[web1]:22'",
        "\"x;y\"", "@x", "x@", "'`id`'", "ssh://x", "{adress: x}", "{address: x, port: 0}", "{}", "{address: '-x'}", "[a]", "~",
    ]

    /// `ssh_config:` values, named absolutely (or not paths at all) so that every entry point says the same.
    static let sshConfigValues = [
        "/dev/null", "/dev/null", "/nonexistent/baton-fuzz/ssh_config", "/", "~/.ssh/config", "''", "[a]", "{a: b}", "\"/dev/\\x01\"",
    ]

    /// Top-level inventory keys for a generated workflow, or nothing; with the names they mean
    /// to define, which `placementLines` names.
    mutating func inventoryLines() -> (text: String, names: [String]) {
        var text = ""
        var names: [String] = []
        if random.chance(35) {
            names += ["web1", "web2"]
            text += "hosts:\n"
            text += "  web1: \(value(good: ["deploy@10.0.0.11:2222", "web1", "\"[::1]:22\""], badPool: Self.badDestinations))\n"
            text += "  web2: \(value(good: ["web2.example", "{address: 10.0.0.12, port: 22}", "{address: web2, user: ops}"], badPool: Self.badDestinations))\n"
            if random.chance(50) { text += "  \(value(good: ["db1"], badPool: ["'a b'", "web1", "web", "''"])): \(value(good: ["admin@db1"], badPool: Self.badDestinations))\n" }
        }
        if random.chance(25) {
            names += ["web"]
            text += "groups:\n  web: \(value(good: ["[web1, web2]", "[web2]", "web1"], badPool: ["[]", "[wbe1]", "[web1, web1]", "[web]", "[db1]"]))\n"
            if random.chance(30) { text += "  \(value(good: ["all"], badPool: ["web1", "'x y'"])): \(value(good: ["[web1, web2, db1]"]))\n" }
        }
        if random.chance(10) { text += "ssh_config: \(random.pick(Self.sshConfigValues))\n" }
        return (text, names)
    }

    /// A step's `on:` naming one of `names` mostly (and sometimes a fan-out policy with it), or nothing.
    mutating func placementLines(naming names: [String]) -> String {
        guard random.chance(names.isEmpty ? 2 : 30) else { return "" }
        var text = "    on: \(value(good: names.isEmpty ? ["web1"] : names, badPool: ["wbe", "[web1]", "{a: b}", "''", "nowhere", "db1", "all"]))\n"
        if random.chance(30) { text += "    \(value(good: ["max_parallel: 1", "batch: 50%", "max_failures: 1", "fail_fast: true"]))\n" }
        return text
    }

    /// `count` folders of a workflow that runs steps on hosts, mostly good: its own `hosts:`
    /// and `groups:`, or an inventory file (`fleet.yaml`, loaded with `--inventory`) with an
    /// `ssh_config:` beside it, or both, and steps `on:` hosts and groups.
    mutating func inventorySets(count: Int) -> [FileSet] {
        (0..<count).map { number in FileSet(label: "hosts #\(number)", files: inventorySet()) }
    }

    private mutating func inventorySet() -> [String: String] {
        var files: [String: String] = [:]
        let own = random.chance(60)
        let external = !own || random.chance(40)
        var main = "name: fleet\n"
        if own {
            main += "hosts:\n  web1: \(value(good: ["deploy@10.0.0.11:2222", "web1", "{address: 10.0.0.11, port: 22}"], badPool: Self.badDestinations))\n"
            main += "groups:\n  canary: \(value(good: ["[web1]", external ? "[web2]" : "web1"], badPool: ["[]", "[wbe1]", "[canary]"]))\n"
        }
        if external {
            var fleet = "hosts:\n  web2: \(value(good: ["web2.example", "ops@[2001:db8::2]:2200", "{address: web2, user: ops}"], badPool: Self.badDestinations))\n"
            if random.chance(50) { fleet += "  \(value(good: ["web3"], badPool: ["web1", "canary", "'x y'"])): web3\n" }
            fleet += "groups:\n  web: \(value(good: [own ? "[web1, web2]" : "[web2]", "[web2]"], badPool: ["[]", "[web2, web2]", "[wbe2]"]))\n"
            if random.chance(40) { fleet += "ssh_config: \(value(good: ["ssh/config"], badPool: ["ssh", "missing/config", "~/config"]))\n" }
            if random.chance(5) { fleet += random.pick(["steps: {}\n", "hots: {}\n", "name: x\n"]) }
            files["fleet.yaml"] = fleet
            files["ssh/config"] = "Host *\n  BatchMode yes\n"
        }
        main += "steps:\n"
        let targets = (own ? ["web1", "canary"] : []) + (external ? ["web2", "web"] : [])
        for index in 0..<random.within(1...5) {
            main += "  s\(index):\n    run: \(value(good: ["echo $BATON_HOST"]))\n"
            if random.chance(75) { main += "    on: \(value(good: targets, badPool: ["wbe", "[web1]", "nowhere", "''"]))\n" }
            if index > 0, random.chance(40) { main += "    needs: [s\(random.below(index))]\n" }
            if random.chance(20) { main += "    \(value(good: ["max_parallel: 1", "batch: 50%", "fail_fast: true", "for_each: [a, b]"]))\n" }
        }
        files["main.yaml"] = main
        return files
    }

    /// Fixed documents that attack the inventory: a group too big to fan out over, and
    /// thousands of unknown names among thousands of hosts, each of which could ask for a
    /// "did you mean".
    static func hostileInventoryDocuments() -> [Document] {
        let many = (0..<100_001).map { "  h\($0): h\($0)\n" }.joined()
        let wide = "hosts:\n" + many + "groups:\n  all: [" + (0..<100_001).map { "h\($0)" }.joined(separator: ", ") + "]\nsteps:\n  s:\n    on: all\n    run: x\n"
        let hosts = (0..<20_000).map { "  host\($0): h\($0)\n" }.joined()
        let unknownMembers = "hosts:\n" + hosts + "groups:\n  g: [" + (0..<20_000).map { "hots\($0)" }.joined(separator: ", ") + "]\nsteps:\n  s: {run: x}\n"
        let unknownOn = "hosts:\n" + hosts + "steps:\n" + (0..<10_000).map { "  s\($0): {on: hots\($0), run: x}\n" }.joined()
        let clashes = "hosts:\n" + hosts + "groups:\n" + (0..<20_000).map { "  host\($0): [host\($0)]\n" }.joined() + "steps:\n  s: {run: x}\n"
        return [
            Document("a group of 100,001 hosts a step runs on", wide),
            Document("20,000 unknown members among 20,000 hosts", unknownMembers),
            Document("10,000 steps on unknown hosts among 20,000", unknownOn),
            Document("20,000 groups named as hosts", clashes),
            Document("an ssh_config of 100,000 characters", "ssh_config: /" + String(repeating: "a", count: 100_000) + "\nsteps:\n  s: {run: x}\n"),
        ]
    }
}
