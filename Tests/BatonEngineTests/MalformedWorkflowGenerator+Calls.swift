/// Sets of workflow files that call one another (`uses:`, `with:`, `outputs:`), for the fuzz
/// tests of reusable workflows: random calls among a few files (cycles and missing files
/// included), random `with:` values and `outputs:`, and a fixed list of hostile sets.
extension MalformedWorkflowGenerator {
    /// Files by their path inside a folder; `main.yaml` is the one loaded.
    struct FileSet {
        var label: String
        var files: [String: String]
    }

    /// Parameters every generated file declares, so most `with:` fit somewhere.
    static let calledParameters = """
        params:
          p0: {default: a}
          p1: {type: number, default: "1"}
          p2: {type: choice, choices: [x, y], required: true}
          p3: {type: bool, default: "false"}

        """

    static let badWithValues = [
        "${{ params.p0 }}", "${{ params.nope }}", "${{ steps.s0.outputs.x }}", "${{ steps.ghost.outputs.x }}", "${{ p0 }}",
        "a-${{ params.p0 }}", "${{ format('{0}', params.p0) }}", "${{", "}}", "${{ params.p2 }}", "z", "[x]", "{a: 1}", "~", "3.5", "true",
    ]

    /// `count` random sets of two to five files.
    mutating func calledWorkflowSets(count: Int) -> [FileSet] {
        (0..<count).map { number in FileSet(label: "called workflows #\(number)", files: calledWorkflowSet()) }
    }

    private mutating func calledWorkflowSet() -> [String: String] {
        let names = ["main.yaml"] + (1..<random.within(2...5)).map { random.chance(30) ? "lib/f\($0).yaml" : "f\($0).yaml" }
        var files: [String: String] = [:]
        for (index, name) in names.enumerated() {
            // Mostly files further down the list, which keeps most sets free of cycles.
            let callable = random.chance(80) ? Array(names[(index + 1)...]) : names
            files[name] = calledWorkflow(name, calling: callable)
        }
        return files
    }

    private mutating func calledWorkflow(_ name: String, calling callable: [String]) -> String {
        var text = random.chance(90) ? Self.calledParameters : ""
        if random.chance(10) { text += "concurrency: \(value(good: ["2"]))\n" }
        let stepCount = random.within(1...4)
        if random.chance(60) {
            text += "outputs:\n  \(value(good: ["out", "version"])): \(value(good: ["steps.s0.outputs.x", "${{ steps.s1.outputs.y }}", "steps.c0.outputs.out"], badPool: Self.badConditions))\n"
        }
        text += "steps:\n"
        for index in 0..<stepCount {
            text += "  s\(index):\n    run: echo \(index)\n"
            if index > 0, random.chance(40) { text += "    needs: [s\(random.below(index))]\n" }
            if random.chance(20) { text += "    when: \(value(good: ["params.p0 == 'a'", "steps.c0.outputs.out != ''", "params.p2 == 'x'"], badPool: Self.badConditions))\n" }
            if random.chance(10) { text += "    for_each: \(value(good: ["[a, b]"]))\n" }
        }
        for index in 0..<random.within(0...2) {
            let target = callable.isEmpty || random.chance(10) ? random.pick(["missing.yaml", "/nonexistent/baton-fuzz.yaml", "lib", ""]) : random.pick(callable)
            text += "  c\(index):\n    uses: \(value(good: [Self.relative(target, from: name)]))\n"
            if random.chance(40) { text += "    needs: [\(value(good: ["s0", stepCount > 1 ? "s1" : "s0"]))]\n" }
            if random.chance(15) { text += "    when: \(value(good: ["params.p3 == 'true'", "steps.s0.outputs.x != ''"], badPool: Self.badConditions))\n" }
            if random.chance(85) {
                text += "    with:\n      p2: \(value(good: ["x", "y", "${{ params.p2 }}"], badPool: Self.badWithValues))\n"
                if random.chance(40) { text += "      \(value(good: ["p0", "p1", "p3"])): \(value(good: ["b", "2", "true", "${{ params.p0 }}", "${{ steps.s0.outputs.x }}"], badPool: Self.badWithValues))\n" }
            }
            if random.chance(8) { text += "    \(random.pick(["run: make", "retry: 2", "for_each: [a]", "approval: true", "env: {A: b}", "wiht: {}"]))\n" }
        }
        if random.chance(8) { text += "finally:\n  tidy:\n    run: tidy\n" }
        return text
    }

    /// The path `target` (inside the folder) as a file at `includer` names it.
    static func relative(_ target: String, from includer: String) -> String {
        guard !target.hasPrefix("/"), target.contains(".yaml") else { return target }
        let inLib = includer.hasPrefix("lib/")
        if inLib { return target.hasPrefix("lib/") ? String(target.dropFirst(4)) : "../" + target }
        return target
    }

    /// Fixed sets that attack the limits: a chain of calls too deep, calls that fan in on every
    /// level, a file calling itself, a long cycle, and a fan-out called past the step limit.
    static func hostileCallSets() -> [FileSet] {
        var sets: [FileSet] = []
        var chain: [String: String] = [:]
        for level in 0..<40 { chain[level == 0 ? "main.yaml" : "f\(level).yaml"] = "steps:\n  s:\n    uses: f\(level + 1).yaml\n" }
        chain["f40.yaml"] = "steps:\n  leaf:\n    run: 'true'\n"
        sets.append(FileSet(label: "a chain of 40 calls", files: chain))

        var fanIn: [String: String] = ["f16.yaml": "steps:\n  leaf:\n    run: 'true'\n"]
        for level in 0..<16 {
            fanIn[level == 0 ? "main.yaml" : "f\(level).yaml"] = "steps:\n" + (0..<12).map { "  c\($0):\n    uses: f\(level + 1).yaml\n" }.joined()
        }
        sets.append(FileSet(label: "12 calls of the next file on 16 levels", files: fanIn))

        sets.append(FileSet(label: "a file calling itself", files: ["main.yaml": "steps:\n  again:\n    uses: main.yaml\n  more:\n    uses: ./main.yaml\n"]))
        var cycle: [String: String] = ["main.yaml": "steps:\n  s:\n    uses: f1.yaml\n"]
        for index in 1..<12 { cycle["f\(index).yaml"] = "steps:\n  s:\n    uses: \(index == 11 ? "main" : "f\(index + 1)").yaml\n" }
        sets.append(FileSet(label: "a cycle of 12 files", files: cycle))

        let items = (0..<40_000).map { "h\($0)" }.joined(separator: ", ")
        sets.append(FileSet(label: "a fan-out of 40,000 called three times", files: [
            "main.yaml": "steps:\n" + (0..<3).map { "  c\($0):\n    uses: fleet.yaml\n" }.joined(),
            "fleet.yaml": "steps:\n  restart:\n    for_each: [\(items)]\n    run: restart\n",
        ]))
        let many = (0..<1_100).map { "  c\($0):\n    uses: f\($0).yaml\n" }.joined()
        var wide: [String: String] = ["main.yaml": "steps:\n" + many]
        for index in 0..<1_100 { wide["f\(index).yaml"] = "steps:\n  s:\n    run: 'true'\n" }
        sets.append(FileSet(label: "1,100 different called files", files: wide))
        return sets
    }
}
