import Foundation
import Testing
@testable import BatonEngine

/// The hosts inventory as it loads: `hosts:`, `groups:` and `ssh_config:` in a workflow or in
/// the file given with `--inventory`, and a step's `on:`, which puts it on a host or fans it
/// out over a group's hosts; every problem is said where it is, with a suggestion where one helps.
@Suite struct InventoryLoadingTests {
    private func load(_ yaml: String) throws -> Workflow {
        try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
    }

    private func problems(_ yaml: String) -> [String] { EngineTestSupport.loadProblems(yaml) }

    /// Whether every expected text starts one of the problems, and there are no others.
    private func expectProblems(_ found: [String], startingWith expected: [String], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(found.count == expected.count, "\(found)", sourceLocation: sourceLocation)
        for (problem, start) in zip(found, expected) {
            #expect(problem.hasPrefix(start), "\(problem)\ndoes not start with\n\(start)", sourceLocation: sourceLocation)
        }
    }

    // MARK: - hosts, groups, ssh_config

    @Test func hostsGroupsAndTheSSHConfigLoadInBothForms() throws {
        let workflow = try load("""
            name: fleet
            hosts:
              web1: deploy@10.0.0.11:2222
              web2: web2.example.internal
              db1: {address: db1.internal, user: admin, port: 22}
              v6: "[2001:db8::1]:2200"
              v6long: {address: "2001:db8::2"}
            groups:
              web: [web2, web1]
              db: db1
            ssh_config: /dev/null
            steps:
              a:
                run: "true"
            """)
        #expect(workflow.inventory.hosts == [
            InventoryHost(name: "web1", destination: "deploy@10.0.0.11", port: 2222),
            InventoryHost(name: "web2", destination: "web2.example.internal"),
            InventoryHost(name: "db1", destination: "admin@db1.internal", port: 22),
            InventoryHost(name: "v6", destination: "2001:db8::1", port: 2200),
            InventoryHost(name: "v6long", destination: "2001:db8::2"),
        ])
        #expect(workflow.inventory.groups == ["web": ["web2", "web1"], "db": ["db1"]], "groups keep their own order")
        #expect(workflow.inventory.sshConfig == "/dev/null")
        #expect(workflow.inventory.host("web1")?.address == "10.0.0.11")
        #expect(workflow.steps.allSatisfy { $0.host == nil }, "hosts alone move no step")
    }

    @Test func aRelativeSSHConfigIsFoundFromTheWorkflowFile() throws {
        let folder = try WorkflowFolder(["ops/deploy.yaml": "ssh_config: fleet/ssh_config\nhosts: {web1: web1}\nsteps:\n  a: {run: x, on: web1}\n"])
        try folder.write("ops/fleet/ssh_config", "Host *\n  BatchMode yes\n")
        let workflow = try folder.load("ops/deploy.yaml")
        #expect(workflow.inventory.sshConfig == "\(folder.path)/ops/fleet/ssh_config")
        try folder.remove("ops/fleet/ssh_config")
        #expect(folder.problems("ops/deploy.yaml") == [
            "ops/deploy.yaml:1:13: 'ssh_config' names 'fleet/ssh_config', which does not exist (looked for ops/fleet/ssh_config); paths are relative to the file that names them",
        ])
        try folder.write("ops/fleet/ssh_config/x", "")
        #expect(folder.problems("ops/deploy.yaml").first?.contains("which is a folder") == true)
    }

    @Test(arguments: [
        ("web1", "web1", nil),
        ("deploy@10.0.0.11:2222", "deploy@10.0.0.11", 2222),
        ("a.b-c_D9@h-1.example.com", "a.b-c_D9@h-1.example.com", nil),
        ("u@[::1]:22", "u@::1", 22),
        ("[fe80::1]", "fe80::1", nil),
        ("web1:65535", "web1", 65535),
    ] as [(String, String, Int?)])
    func destinationsAreReadAsUserAddressAndPort(text: String, destination: String, port: Int?) {
        #expect((try? HostDestination.parse(text).get()) == HostDestination.Parsed(destination: destination, port: port))
    }

    @Test(arguments: [
        ("-oProxyCommand=sh", "it starts with '-', which ssh would read as an option"),
        ("x@-oProxyCommand", "the address starts with '-', which ssh would read as an option"),
        ("-l@x", "it starts with '-'"),
        ("a b", "it holds a space or a line break"),
        ("a\tb", "it holds a space or a line break"),
        ("web1;reboot", "it holds ';'"),
        ("$(reboot)", "it holds '$'"),
        ("`id`", "it holds '`'"),
        ("a|b", "it holds '|'"),
        ("ssh://web1", "it holds '/'"),
        ("web1:0", "the port must be a whole number from 1 to 65535, not '0'"),
        ("web1:65536", "the port must be a whole number from 1 to 65535, not '65536'"),
        ("web1:22x", "the port must be a whole number from 1 to 65535, not '22x'"),
        ("web1:", "the port must be a whole number from 1 to 65535, not ''"),
        ("a@b@c", "it holds more than one '@'"),
        ("@web1", "there is no user before '@'"),
        ("deploy@", "there is no address"),
        ("2001:db8::1", "it holds more than one ':'; write an IPv6 address in brackets"),
        ("[2001:db8::1", "the '[' before the address has no ']'"),
        ("[web1]:22", "'web1' is not an IPv6 address"),
        ("[::1]22", "after ']' comes ':' and the port"),
        ("", "it is empty"),
    ])
    func unsafeOrMalformedDestinationsAreRefused(text: String, reason: String) {
        guard case .failure(let problem) = HostDestination.parse(text) else {
            Issue.record("'\(text)' was taken as a destination")
            return
        }
        #expect(problem.reason.hasPrefix(reason), "\(problem.reason)")
    }

    @Test func aVeryLongDestinationIsRefused() {
        #expect((try? HostDestination.parse(String(repeating: "a", count: 256)).get()) == nil)
        #expect((try? HostDestination.parse(String(repeating: "a", count: 255)).get()) != nil)
    }

    @Test func inventoryProblemsAreSaidWhereTheyAreWithSuggestions() {
        let found = problems("""
            name: f
            hosts:
              web1: deploy@10.0.0.11
              web2: "-oProxyCommand=sh"
              web3: web3:0
              db1: {adress: db1}
              "bad name": x
              none: ~
            groups:
              web: [web1, wbe2, web1]
              db: []
              web1: [web3]
              nested: [web]
            ssh_config: ~/fleet
            steps:
              a:
                run: "true"
            """)
        expectProblems(found, startingWith: [
            "wf.yaml:4:9: 'hosts.web2': '-oProxyCommand=sh' is not an ssh destination: it starts with '-', which ssh would read as an option; write user@address:port",
            "wf.yaml:5:9: 'hosts.web3': 'web3:0' is not an ssh destination: the port must be a whole number from 1 to 65535, not '0'",
            "wf.yaml:6:8: host 'db1' has no 'address': add the host name or IP address ssh connects to",
            "wf.yaml:6:9: unknown key 'adress' in host 'db1'; did you mean 'address'?",
            "wf.yaml:7:3: 'bad name' cannot name a host: use at most 64 letters, digits and '_', '-', '.', ':', '@'",
            "wf.yaml:8:9: host 'none' has no ssh destination: write user@address:port",
            "wf.yaml:10:15: group 'web' lists 'wbe2', which is not a host; did you mean 'web2'?",
            "wf.yaml:10:21: group 'web' lists 'web1' twice; list each host once",
            "wf.yaml:11:7: group 'db' is empty: list its hosts",
            "wf.yaml:12:3: 'web1' names a group here and a host at wf.yaml:3:3; a host and a group cannot share a name, since 'on' names either",
            "wf.yaml:13:12: group 'nested' lists 'web', which is a group; a group lists hosts: write the hosts of 'web'",
            "wf.yaml:14:13: 'ssh_config' starts with '~', which Baton does not expand",
        ])
    }

    @Test(arguments: [
        ("hosts: [web1, web2]\n", "wf.yaml:1:8: 'hosts' must be a mapping from host name to its ssh destination (`web1: deploy@10.0.0.11`), not a list"),
        ("hosts:\n  web1: [a]\n", "wf.yaml:2:9: 'hosts.web1' must be an ssh destination such as deploy@10.0.0.11:2222, or a mapping with 'address', 'user' and 'port', not a list"),
        ("hosts:\n  web1: {address: a, port: 70000}\n", "wf.yaml:2:28: 'hosts.web1.port' must be a whole number from 1 to 65535, not '70000'"),
        ("hosts:\n  web1: {address: 'a b'}\n", "wf.yaml:2:19: 'hosts.web1.address': 'a b' will not do: it holds a space or a line break"),
        ("hosts:\n  web1: {address: a, user: -x}\n", "wf.yaml:2:28: 'hosts.web1.user': '-x' will not do: the user starts with '-'"),
        ("groups: [web]\n", "wf.yaml:1:9: 'groups' must be a mapping from group name to a list of host names (`web: [web1, web2]`), not a list"),
        ("groups:\n  web:\n", "wf.yaml:2:7: group 'web' is empty"),
        ("groups:\n  web: [a]\n", "wf.yaml:2:9: group 'web' lists 'a', which is not a host: define it under 'hosts:'"),
        ("ssh_config: [a]\n", "wf.yaml:1:13: 'ssh_config' must be a string, not a list"),
        ("ssh_config: ''\n", "wf.yaml:1:13: 'ssh_config' is empty"),
        ("host:\n  web1: web1\n", "wf.yaml:1:1: unknown key 'host' at the top level; did you mean 'hosts'?"),
        ("sshconfig: /dev/null\n", "wf.yaml:1:1: unknown key 'sshconfig' at the top level; did you mean 'ssh_config'?"),
    ])
    func badInventoryValuesAreSaidWhereTheyAre(header: String, expected: String) {
        let found = problems(header + "steps:\n  a:\n    run: \"true\"\n")
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    // MARK: - on:

    @Test func onAHostPutsTheStepThereWithItsVariables() throws {
        let workflow = try load("""
            hosts:
              web1: deploy@10.0.0.11:2222
              db1: db1
            steps:
              migrate:
                on: db1
                run: ./migrate
                rollback: ./migrate down
                env: {BATON_HOST: spoofed, MODE: up}
              deploy:
                on: web1
                needs: migrate
                run: ./deploy
              local:
                run: make
            """)
        #expect(workflow.stepIDs == ["migrate", "deploy", "local"], "one host makes no fan-out")
        #expect(workflow.groups.isEmpty)
        let migrate = try #require(workflow["migrate"])
        #expect(migrate.host == "db1" && migrate.rollback == "./migrate down", "the rollback is the step's own, so it runs on the same host")
        #expect(migrate.env == ["BATON_HOST": "db1", "BATON_HOST_ADDRESS": "db1", "MODE": "up"], "Baton's variables win over the file's")
        #expect(workflow["deploy"]?.host == "web1")
        #expect(workflow["deploy"]?.env == ["BATON_HOST": "web1", "BATON_HOST_ADDRESS": "10.0.0.11"])
        #expect(workflow["local"]?.host == nil && workflow["local"]?.env == [:])
    }

    @Test func onAGroupFansOutOverItsHostsWithTheGroupPolicies() throws {
        let workflow = try load("""
            hosts:
              web1: deploy@10.0.0.11:2222
              web2: deploy@10.0.0.12
              web3: web3
            groups:
              web: [web3, web1, web2]
            steps:
              build:
                run: make
              restart:
                on: web
                needs: build
                batch: 2
                max_failures: 1
                max_parallel: 1
                run: sudo systemctl restart app
                rollback: sudo systemctl rollback app
              check:
                needs: restart
                run: curl -f http://lb/health
              canary:
                needs: ["restart[web1]"]
                run: ./canary
            """)
        #expect(workflow.stepIDs == ["build", "restart[web3]", "restart[web1]", "restart[web2]", "check", "canary"], "instances in the group's order")
        let instance = try #require(workflow["restart[web1]"])
        #expect(instance.host == "web1" && instance.group == "restart" && instance.needs == ["build"])
        #expect(instance.env == ["BATON_HOST": "web1", "BATON_HOST_ADDRESS": "10.0.0.11"])
        #expect(instance.rollback == "sudo systemctl rollback app")
        #expect(workflow["restart[web3]"]?.host == "web3" && workflow["restart[web2]"]?.host == "web2")
        #expect(workflow["check"]?.needs == ["restart[web3]", "restart[web1]", "restart[web2]"], "a step that needs the group needs every host's instance")
        #expect(workflow["canary"]?.needs == ["restart[web1]"])
        #expect(workflow.groups == [StepGroup(
            id: "restart", instances: ["restart[web3]", "restart[web1]", "restart[web2]"], maxParallel: 1, batch: .count(2), maxFailures: 1)])

        let failFast = try load("hosts: {a: a, b: b}\ngroups: {g: [a, b]}\nsteps:\n  s:\n    on: g\n    fail_fast: true\n    run: x\n")
        #expect(failFast.groups.first?.maxFailures == 0)
        let rolling = try load("hosts: {a: a, b: b}\ngroups: {g: [a, b]}\nsteps:\n  s:\n    on: g\n    batch: 50%\n    run: x\n")
        #expect(rolling.groups.first?.maxFailures == 0 && rolling.groups.first?.batchSize == 1, "a rolling batch stops at its first failure, as with for_each")
    }

    @Test func aFanOutOnOneHostRunsEveryInstanceThere() throws {
        let workflow = try load("""
            hosts: {db1: admin@db1}
            steps:
              list:
                run: echo
              shard:
                on: db1
                for_each: [s1, s2]
                run: ./migrate "$BATON_ITEM"
              each:
                on: db1
                for_each: ${{ steps.list.outputs.items }}
                run: ./x
            """)
        #expect(workflow["shard[s1]"]?.host == "db1" && workflow["shard[s2]"]?.host == "db1")
        #expect(workflow["shard[s2]"]?.env == ["BATON_ITEM": "s2", "BATON_HOST": "db1", "BATON_HOST_ADDRESS": "db1"])
        // A dynamic fan-out's instances, made at run time, are copies of its step: on its host.
        var expanded = workflow
        let added = expanded.expand(FanOutExpansion(group: "each", instances: ["each[a]"], items: ["a"]))
        #expect(added)
        #expect(expanded["each[a]"]?.host == "db1" && expanded["each[a]"]?.env["BATON_HOST"] == "db1")
    }

    @Test(arguments: [
        ("    on: wbe\n", "wf.yaml:5:9: 'on' in step 's' names 'wbe', which is not a host or a group of the inventory; did you mean 'web'?"),
        ("    on: web3\n", "wf.yaml:5:9: 'on' in step 's' names 'web3', which is not a host or a group of the inventory; did you mean 'web1'?"),
        ("    on: [web1, web2]\n", "wf.yaml:5:9: 'on' in step 's' names one host or group, not a list; to run the step on several hosts, list them in a group"),
        ("    on: {host: web1}\n", "wf.yaml:5:9: 'on' in step 's' must name a host or a group of the inventory, not a mapping"),
        ("    on:\n", "'on' in step 's' is empty: name a host or a group, or leave 'on' out to run the step where Baton runs"),
        ("    on: web\n    for_each: [a, b]\n", "wf.yaml:5:5: step 's' has both 'on: web', a group, and 'for_each': a step fans out over one of them"),
        ("    on: web\n    matrix: {x: [1]}\n", "wf.yaml:5:5: step 's' has both 'on: web', a group, and 'matrix'"),
        ("    on: web\n    for_each: ${{ steps.t.outputs.x }}\n", "wf.yaml:5:5: step 's' has both 'on: web', a group, and 'for_each'"),
        ("    on: web1\n    max_parallel: 2\n", "wf.yaml:6:5: 'max_parallel' in step 's' is for a step that fans out: 'on: web1' names one host; name a group"),
        ("    on: web\n    fail_fast: true\n    max_failures: 1\n", "wf.yaml:7:5: step 's' has both 'fail_fast' and 'max_failures'"),
        ("    on: web\n    max_paralel: 2\n", "did you mean 'max_parallel'?"),
        ("    onn: web\n", "wf.yaml:5:5: unknown key 'onn' in step 's'; did you mean 'on'?"),
    ])
    func badOnIsSaidWhereItIs(fields: String, expected: String) {
        let found = problems("hosts: {web1: a, web2: b}\ngroups: {web: [web1, web2]}\nsteps:\n  s:\n" + fields + "    run: \"true\"\n  t:\n    run: \"true\"\n")
        #expect(found.contains { $0.contains(expected) }, "\(found)")
    }

    @Test func onWithoutAnyHostsSaysWhereHostsComeFrom() {
        #expect(problems("steps:\n  s:\n    on: web1\n    run: x\n") == [
            "wf.yaml:3:9: 'on' in step 's' names 'web1', but the workflow has no hosts: define them under 'hosts:' (and groups of them under 'groups:'), or give an inventory file with --inventory",
        ])
    }

    @Test func aProblemInTheInventoryIsNotSaidAgainAtTheStepsThatNameIt() {
        let found = problems("hosts: {web1: 'a b'}\ngroups: {web: [web1]}\nsteps:\n  s:\n    on: web\n    run: x\n  t:\n    on: web1\n    run: x\n")
        #expect(found.count == 1 && found[0].hasPrefix("wf.yaml:1:15: 'hosts.web1': 'a b' is not an ssh destination"), "\(found)")
    }

    // MARK: - Called workflows

    @Test func aCalledWorkflowRunsOnTheHostsOfTheRun() throws {
        let folder = try WorkflowFolder([
            "main.yaml": "hosts:\n  web1: deploy@10.0.0.11\n  web2: web2\ngroups:\n  web: [web1, web2]\nsteps:\n  deploy:\n    uses: lib/restart.yaml\n",
            "lib/restart.yaml": "steps:\n  restart:\n    on: web\n    max_parallel: 1\n    run: restart\n  tidy:\n    on: web2\n    run: tidy\n",
        ])
        let workflow = try folder.load()
        #expect(workflow.stepIDs == ["deploy.restart[web1]", "deploy.restart[web2]", "deploy.tidy"])
        #expect(workflow["deploy.restart[web2]"]?.host == "web2" && workflow["deploy.tidy"]?.host == "web2")
        #expect(workflow.groups.first?.id == "deploy.restart" && workflow.groups.first?.maxParallel == 1)
        #expect(workflow.inventory.hosts.map(\.name) == ["web1", "web2"])

        // On its own, the library needs the hosts from an inventory file.
        try folder.write("fleet.yaml", "hosts: {web1: a, web2: b}\ngroups: {web: [web1, web2]}\n")
        #expect(try folder.load("lib/restart.yaml", inventory: "fleet.yaml").stepIDs == ["restart[web1]", "restart[web2]", "tidy"])
    }

    @Test func aCalledWorkflowMayNotBringHostsOfItsOwnAndItsOnNamesTheRunsHosts() throws {
        let folder = try WorkflowFolder([
            "main.yaml": "hosts: {web1: a}\nsteps:\n  deploy:\n    uses: lib.yaml\n    on: web1\n",
            "lib.yaml": "hosts:\n  web1: b\ngroups: {g: [web1]}\nssh_config: /dev/null\nsteps:\n  s:\n    on: wbe1\n    run: x\n",
        ])
        #expect(folder.problems() == [
            "main.yaml:4:11: step 'deploy' calls 'lib.yaml', which does not load: its problems are listed under lib.yaml",
            "main.yaml:5:5: 'on' cannot go with 'uses' in step 'deploy': each step of the called workflow runs where its own 'on' says; give 'on' to the steps inside it",
            "lib.yaml:1:1: 'hosts' cannot be in a called workflow (main.yaml calls this file): the steps of a called workflow run on the hosts of the run; define them in the calling workflow or in an inventory file (--inventory)",
            "lib.yaml:3:1: 'groups' cannot be in a called workflow (main.yaml calls this file): the steps of a called workflow run on the hosts of the run; define them in the calling workflow or in an inventory file (--inventory)",
            "lib.yaml:4:1: 'ssh_config' cannot be in a called workflow (main.yaml calls this file): the steps of a called workflow run on the hosts of the run; define them in the calling workflow or in an inventory file (--inventory)",
            "lib.yaml:7:9: 'on' in step 's' names 'wbe1', which is not a host or a group of the inventory; did you mean 'web1'?",
        ])
    }

    // MARK: - --inventory

    @Test func anInventoryFileJoinsTheWorkflowsHostsAndFindsItsSSHConfigFromItsOwnFolder() throws {
        let folder = try WorkflowFolder([
            "main.yaml": "hosts:\n  web1: deploy@10.0.0.11\ngroups:\n  canary: [web2]\nsteps:\n  restart:\n    on: all\n    run: restart\n  probe:\n    on: canary\n    run: probe\n",
            "inventory/fleet.yaml": "hosts:\n  web2: {address: 10.0.0.12, user: deploy}\ngroups:\n  all: [web1, web2]\nssh_config: ssh/config\n",
            "inventory/ssh/config": "Host *\n",
        ])
        let workflow = try folder.load(inventory: "inventory/fleet.yaml")
        #expect(workflow.inventory.hosts.map(\.name) == ["web1", "web2"], "the workflow's hosts, then the inventory file's")
        #expect(workflow.inventory.groups == ["canary": ["web2"], "all": ["web1", "web2"]], "groups may list hosts of either file")
        #expect(workflow.inventory.sshConfig == "\(folder.path)/inventory/ssh/config")
        #expect(workflow.stepIDs == ["restart[web1]", "restart[web2]", "probe[web2]"])
        #expect(workflow["restart[web2]"]?.env["BATON_HOST_ADDRESS"] == "10.0.0.12")
        #expect(folder.problems() == [
            "main.yaml:4:12: group 'canary' lists 'web2', which is not a host; did you mean 'web1'?",
            "main.yaml:7:9: 'on' in step 'restart' names 'all', which is not a host or a group of the inventory",
        ], "without the inventory file its names are unknown")
    }

    @Test func problemsInTheInventoryFileNameItAndAConflictNamesBothPlaces() throws {
        let folder = try WorkflowFolder([
            "main.yaml": "hosts:\n  web1: a\ngroups:\n  web: [web1]\nssh_config: /dev/null\nsteps:\n  s: {on: web, run: x}\n",
            "fleet.yaml": "hosts:\n  web1: b\n  web: c\n  db1: \"x y\"\ngroups:\n  all: [web1, dbb1]\nssh_config: config\nsteps: {}\nhsots: {}\n",
            "config": "",
        ])
        #expect(folder.problems(inventory: "fleet.yaml") == [
            "fleet.yaml:2:3: host 'web1' is defined twice, here and at main.yaml:2:3; define each host and group once, in the workflow or in the inventory",
            "fleet.yaml:3:3: 'web' names a host here and a group at main.yaml:4:3; a host and a group cannot share a name, since 'on' names either",
            "fleet.yaml:4:8: 'hosts.db1': 'x y' is not an ssh destination: it holds a space or a line break, so it would not be one word; write user@address:port, such as deploy@10.0.0.11:2222 (the user and the port may be left out), or an alias of your ssh_config",
            "fleet.yaml:6:15: group 'all' lists 'dbb1', which is not a host; did you mean 'db1'?",
            "fleet.yaml:7:13: 'ssh_config' is also given at main.yaml:5:13, naming another file (/dev/null); give it once, in the workflow or in the inventory",
            "fleet.yaml:8:1: 'steps' belongs in a workflow, not in an inventory, which holds only 'hosts', 'groups' and 'ssh_config'; give the workflow as the file to run and this file with --inventory",
            "fleet.yaml:9:1: unknown key 'hsots' in the inventory; did you mean 'hosts'?",
        ])
        // The same ssh_config given twice is one ssh_config.
        try folder.write("fleet.yaml", "hosts: {web2: b}\nssh_config: /dev/null\n")
        #expect(folder.problems(inventory: "fleet.yaml") == [])
    }

    @Test func anInventoryFileThatCannotBeReadIsSaidOnce() throws {
        let folder = try WorkflowFolder(["main.yaml": "steps:\n  s:\n    on: web\n    run: x\n", "empty.yaml": "# nothing\n", "list.yaml": "- web1\n"])
        #expect(folder.problems(inventory: "missing.yaml").map { $0.prefix(49) } == ["missing.yaml:1:1: cannot read the inventory file:"],
                "a step naming what the file may have held says nothing more")
        #expect(folder.problems(inventory: "empty.yaml") == ["empty.yaml:1:1: file is empty: an inventory lists hosts under 'hosts:'"])
        #expect(folder.problems(inventory: "list.yaml").first
            == "list.yaml:1:1: an inventory must be a mapping with the keys 'hosts', 'groups' and 'ssh_config', not a list")
    }
}
