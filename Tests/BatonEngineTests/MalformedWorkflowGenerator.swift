import BatonTestSupport

/// Makes malformed workflow documents for the loader's fuzz tests, deterministically from a seed.
///
/// Three families: the demo files with random mutations (bytes flipped, lines deleted, moved or
/// re-indented, YAML punctuation and invalid bytes inserted, keys repeated, values replaced,
/// truncation); small synthetic workflows with random bad values (durations, `when:`,
/// numbers, tags, dependency cycles, hosts and `on:`, see `+Hosts`); and a fixed list of
/// hostile documents (nesting 100,000 levels deep, multi-megabyte scalars, alias bombs, tens of
/// thousands of steps, hosts by the hundred thousand).
struct MalformedWorkflowGenerator {
    /// One generated input: how it was made, and its bytes.
    struct Document {
        var label: String
        var bytes: [UInt8]

        init(_ label: String, _ bytes: [UInt8]) {
            self.label = label
            self.bytes = bytes
        }

        init(_ label: String, _ text: String) {
            self.init(label, Array(text.utf8))
        }
    }

    /// A named file to mutate.
    struct Source {
        var name: String
        var bytes: [UInt8]
    }

    var random: SplitMix64
    private let sources: [Source]

    init(sources: [Source], seed: UInt64) {
        precondition(!sources.isEmpty, "the generator needs at least one file to mutate")
        self.sources = sources
        random = SplitMix64(seed: seed)
    }

    // MARK: - Pools

    /// YAML punctuation and directives, inserted at random places.
    static let punctuation: [String] = [
        ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "? ", "&a ", "*a", "*a ", "&a [*a] ", "!!binary ", "!!int ",
        "!!map ", "!!seq ", "!!str ", "!!null ", "!!float ", "!custom ", "!<tag:yaml.org,2002:str> ", "\t", "%YAML 1.1\n",
        "%YAML 9.9\n", "%TAG ! tag:example.com,2000:\n", "---\n", "...\n", "'", "\"", "|", "|-\n", ">", ">+2\n", "#",
        " #", "@", "`", "<<: *a\n", "!", "\\", "\u{FEFF}", "\r", "\u{85}", "\u{2028}", "\u{2029}", "~", "null", "\"\\u",
        "\"\\x4", "\\\n", "*", "&", "**", "&&", "&\u{E000}", "?", "{?: }", "[:]", "{[a]: b}", "? [a, b]\n: c\n",
    ]

    /// Byte sequences that are not valid UTF-8, or are control characters the loader refuses.
    static let badBytes: [[UInt8]] = [
        [0x00], [0x01], [0x07], [0x1B], [0x7F], [0x80], [0xBF], [0xC0, 0xAF], [0xC3], [0xC3, 0x28], [0xE2, 0x82],
        [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBE], [0xEF, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80],
        [0xFE], [0xFF], [0xFF, 0xFE], [0xC2, 0x85], [0xC2, 0x9B], [0x00, 0x00, 0x00, 0x00],
    ]

    /// Lists that `retry.on_exit_codes` refuses: 0, out of range, repeated, empty, not numbers.
    static let badExitCodeLists: [String] = [
        "[0]", "[75, 75]", "[]", "[256]", "[-1]", "[1, ~]", "[1.5]", "[[1]]", "{a: 1}", "0", "[0x4B]", "[+75]",
    ]

    /// Values that are wrong for most keys: bad durations, bad conditions, odd numbers and types.
    static let badValues: [String] = badDurations + badConditions + [
        "-1", "0", "256", "99999999999999999999999999999", "1e400", "-1e400", ".nan", ".inf", "0x7fffffffffffffff",
        "3.5", "0o17", "+5", "[]", "{}", "[a, b]", "{a: 1}", "null", "~", "true", "yes", "off", "*undefined",
        "&anchor", "!!binary aGVsbG8=", "!!timestamp 2001-12-14", "\"\\uD800\"", "'", "\"", "|", ">", "- a", "? x",
        "a: b: c", "[", "{", "]", "}", "\t", "", " ", "#", "!", "@x", "`x`", "%x",
    ]

    static let badDurations: [String] = [
        "5 minutes", "-1s", "1.5.5s", "1e9h", "99999999999999999999h", "0x10s", "ms", "5mm", "1h1h", "∞s", "NaNs",
        "5m -5s", "0s", "0", "00", ".5s", "5.s", "1h30", "30m1h", "1d", "1w", "2562047788015216h", "9223372036854775807ms",
        "1000000000000000000000000000000000000000s", "0.0000000000000000000001ms", "1_000ms", "5S", "5 s", "s5",
        "1m60s", "+5s",
    ]

    static let badConditions: [String] = [
        "(", ")", "steps.", "steps.a", "steps.a.outputs.", "steps.a.outputs.9bad", "steps.a.state ==", "'unterminated",
        "\"a == b == c\"", "\"((((((((((\"", "&&", "||x", "steps.a.state != 'x' &&", "\"!\"", "\"!!!!!!!!\"",
        "steps.ghost.state == 'succeeded'", "steps.b.outputs.x == steps.c.outputs.y", "\"steps.a.state == 'x\\\"\"",
        "'a' == 'b' || ", "steps.a.status", "steps..state", "\"(steps.a.state == 'succeeded'\"", "x y z", "== ==",
        "\"\\\\\"", "steps.a.outputs.x.y", "steps.Ä.state",
    ]

    // MARK: - Mutated demos

    /// `count` documents, each one of the source files with one to four random mutations.
    mutating func mutatedDemos(count: Int) -> [Document] {
        var documents: [Document] = []
        documents.reserveCapacity(count)
        for number in 0..<count {
            let source = sources[number % sources.count]
            var bytes = source.bytes
            var applied: [String] = []
            for _ in 0..<random.within(1...4) {
                applied.append(mutate(&bytes))
            }
            documents.append(Document("\(source.name) #\(number): " + applied.joined(separator: ", "), bytes))
        }
        return documents
    }

    /// Applies one random mutation to `bytes` and says which.
    private mutating func mutate(_ bytes: inout [UInt8]) -> String {
        switch random.below(18) {
        case 0:
            guard !bytes.isEmpty else { return "flip (empty)" }
            let position = random.below(bytes.count)
            bytes[position] ^= UInt8(1) << UInt8(random.below(8))
            return "flip a bit at \(position)"
        case 1:
            guard !bytes.isEmpty else { return "set (empty)" }
            let position = random.below(bytes.count)
            bytes[position] = random.pick([0x00, 0x09, 0x0A, 0x0D, 0x20, 0x22, 0x23, 0x26, 0x27, 0x2A, 0x2C, 0x2D, 0x3A, 0x3E, 0x3F,
                                           0x40, 0x5B, 0x5D, 0x7B, 0x7C, 0x7D, 0x7F, 0x80, 0xC3, 0xFF])
            return "set the byte at \(position)"
        case 2:
            return editLines(&bytes, "delete a line") { lines, line in lines.remove(at: line) }
        case 3:
            return editLines(&bytes, "duplicate a line") { lines, line in lines.insert(lines[line], at: line) }
        case 4:
            let other = random.below(1 << 20)
            return editLines(&bytes, "swap two lines") { lines, line in lines.swapAt(line, other % lines.count) }
        case 5:
            let token = random.pick(Self.punctuation)
            insert(Array(token.utf8), into: &bytes)
            return "insert \(token.debugDescription)"
        case 6:
            let length = random.below(bytes.count + 1)
            bytes.removeSubrange(length...)
            return "truncate to \(length) bytes"
        case 7:
            let change = random.below(4)
            let amount = random.within(1...5)
            return editLines(&bytes, "re-indent a line") { lines, line in
                switch change {
                case 0: lines[line].insert(contentsOf: [UInt8](repeating: 0x20, count: amount), at: 0)
                case 1: lines[line].removeFirst(min(amount, lines[line].prefix { $0 == 0x20 }.count))
                case 2: lines[line].insert(0x09, at: 0)
                default:
                    let spaces = lines[line].prefix { $0 == 0x20 }.count
                    lines[line].replaceSubrange(0..<spaces, with: [UInt8](repeating: 0x09, count: (spaces + 1) / 2))
                }
            }
        case 8:
            let bad = random.pick(Self.badBytes)
            insert(bad, into: &bytes)
            return "insert bytes \(bad)"
        case 9:
            return duplicateKey(&bytes)
        case 10:
            return replaceValue(&bytes)
        case 11:
            let other = random.pick(sources).bytes
            let start = random.below(other.count)
            let piece = Array(other[start..<min(other.count, start + random.within(1...400))])
            insert(piece, into: &bytes)
            return "splice \(piece.count) bytes of another file"
        case 12:
            guard !bytes.isEmpty else { return "delete (empty)" }
            let start = random.below(bytes.count)
            let end = min(bytes.count, start + random.within(1...64))
            bytes.removeSubrange(start..<end)
            return "delete bytes \(start)..<\(end)"
        case 13:
            guard !bytes.isEmpty else { return "copy (empty)" }
            let start = random.below(bytes.count)
            let piece = Array(bytes[start..<min(bytes.count, start + random.within(1...200))])
            insert(piece, into: &bytes)
            return "copy \(piece.count) bytes elsewhere"
        case 14:
            return anchorAndAlias(&bytes)
        case 15:
            let breaks: [[UInt8]] = [[0x0D, 0x0A], [0x0D], [0xC2, 0x85], [0xE2, 0x80, 0xA8]]
            let replacement = random.pick(breaks)
            let every = random.within(1...5)
            var result: [UInt8] = []
            var count = 0
            for byte in bytes {
                if byte == 0x0A {
                    count += 1
                    if count % every == 0 { result += replacement; continue }
                }
                result.append(byte)
            }
            bytes = result
            return "replace every \(every). line break with \(replacement)"
        case 16:
            let position = random.below(bytes.count + 1)
            bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: position)
            return "insert a byte-order mark at \(position)"
        default:
            let line = random.pick(["a: &x [1, 2]", "b: *x", "? *x\n: y", "- *x", "*x : y", "c: &x", "&x d: e"])
            return editLines(&bytes, "insert \(line.debugDescription)") { lines, at in lines.insert(Array(line.utf8), at: at) }
        }
    }

    /// Splits into lines, lets `edit` change them at a random line, and joins them again.
    private mutating func editLines(_ bytes: inout [UInt8], _ label: String, _ edit: (inout [[UInt8]], Int) -> Void) -> String {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        guard !lines.isEmpty else { return label + " (no lines)" }
        let line = random.below(lines.count)
        edit(&lines, line)
        bytes = Array(lines.joined(separator: [0x0A]))
        return "\(label) (line \(line + 1))"
    }

    private mutating func insert(_ piece: [UInt8], into bytes: inout [UInt8]) {
        bytes.insert(contentsOf: piece, at: random.below(bytes.count + 1))
    }

    /// The lines that hold a `key:` after their indentation, by index.
    private func keyLines(_ lines: [[UInt8]]) -> [Int] {
        lines.indices.filter { index in
            let line = lines[index].drop { $0 == 0x20 }
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex else { return false }
            return line[..<colon].allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
            }
        }
    }

    /// Repeats a `key:` line right after itself or at the end of the file, sometimes with another value.
    private mutating func duplicateKey(_ bytes: inout [UInt8]) -> String {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let candidates = keyLines(lines)
        guard !candidates.isEmpty else { return "duplicate a key (none)" }
        let line = random.pick(candidates)
        var copy = lines[line]
        if random.chance(50), let colon = copy.firstIndex(of: 0x3A) {
            copy.replaceSubrange((colon + 1)..., with: Array(" \(random.pick(Self.badValues))".utf8))
        }
        let target = random.chance(70) ? line + 1 : lines.count
        lines.insert(copy, at: target)
        bytes = Array(lines.joined(separator: [0x0A]))
        return "repeat the key on line \(line + 1)"
    }

    /// Replaces what follows a `key:` with a bad value.
    private mutating func replaceValue(_ bytes: inout [UInt8]) -> String {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let candidates = keyLines(lines)
        guard !candidates.isEmpty else { return "replace a value (none)" }
        let line = random.pick(candidates)
        let value = random.pick(Self.badValues)
        if let colon = lines[line].firstIndex(of: 0x3A) {
            lines[line].replaceSubrange((colon + 1)..., with: Array(" \(value)".utf8))
        }
        bytes = Array(lines.joined(separator: [0x0A]))
        return "set the value on line \(line + 1) to \(value.debugDescription)"
    }

    /// Anchors the value of one `key:` line and makes another line's value an alias of it.
    private mutating func anchorAndAlias(_ bytes: inout [UInt8]) -> String {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        let candidates = keyLines(lines)
        guard candidates.count >= 2 else { return "alias (too few keys)" }
        let anchored = random.pick(candidates)
        let aliased = random.pick(candidates)
        if let colon = lines[anchored].firstIndex(of: 0x3A) {
            lines[anchored].insert(contentsOf: Array(" &v".utf8), at: colon + 1)
        }
        if let colon = lines[aliased].firstIndex(of: 0x3A) {
            lines[aliased].replaceSubrange((colon + 1)..., with: Array(" *v".utf8))
        }
        bytes = Array(lines.joined(separator: [0x0A]))
        return "anchor line \(anchored + 1), alias it on line \(aliased + 1)"
    }

    // MARK: - Bad values

    /// `count` small workflows with random settings, most of them wrong, and random dependencies
    /// that often form cycles.
    mutating func badValueWorkflows(count: Int) -> [Document] {
        (0..<count).map { number in Document("bad values #\(number)", badValueWorkflow()) }
    }

    private mutating func badValueWorkflow() -> String {
        let stepCount = random.within(1...12)
        let ids = (0..<stepCount).map { "s\($0)" }
        var text = "name: fuzz\n"
        if random.chance(40) { text += "concurrency: \(value(good: ["1", "4"]))\n" }
        if random.chance(30) { text += "on_failure: \(value(good: ["wait", "rollback", "stop"]))\n" }
        if random.chance(40) { text += "env:\n  TOKEN: \(value(good: ["abc", "\"\""]))\n  \(value(good: ["PORT"])): 8080\n" }
        if random.chance(30) { text += "secrets: \(value(good: ["[TOKEN]", "[]"]))\n" }
        if random.chance(30) {
            text += "params:\n  \(value(good: ["target", "dry-run"])):\n    type: \(value(good: ["string", "number", "bool", "choice"]))\n"
            if random.chance(50) { text += "    choices: \(value(good: ["[a, b]", "[a]"]))\n" }
            if random.chance(50) { text += "    default: \(value(good: ["a", "\"3\"", "\"true\""]))\n" }
            if random.chance(30) { text += "    \(value(good: ["required", "secret"])): \(value(good: ["true", "false"]))\n" }
        }
        let inventory = inventoryLines()
        text += inventory.text
        text += "steps:\n"
        for (position, id) in ids.enumerated() {
            text += "  \(random.chance(5) ? value(good: [id]) : id):\n"
            if random.chance(85) { text += "    run: \(value(good: ["echo \(id)", "'true'"]))\n" }
            if random.chance(60), !ids.isEmpty {
                // Mostly earlier steps; sometimes later ones or itself, which makes cycles.
                let needs = (0..<random.within(1...3)).map { _ in
                    random.chance(75) && position > 0 ? ids[random.below(position)] : random.pick(ids + ["ghost"])
                }
                text += "    needs: [\(needs.joined(separator: ", "))]\n"
            }
            if random.chance(25) { text += "    when: \(value(good: ["steps.s0.state == 'succeeded'", "steps.s0.outputs.x"], badPool: Self.badConditions))\n" }
            if random.chance(25) { text += "    timeout: \(value(good: ["5s", "1m30s"], badPool: Self.badDurations))\n" }
            if random.chance(25) {
                if random.chance(50) {
                    text += "    retry: \(value(good: ["3", "1"]))\n"
                } else {
                    text += "    retry:\n      attempts: \(value(good: ["2"]))\n      backoff: \(value(good: ["1s"], badPool: Self.badDurations))\n"
                    if random.chance(50) { text += "      max_backoff: \(value(good: ["10s"], badPool: Self.badDurations))\n" }
                    if random.chance(40) { text += "      factor: \(value(good: ["1.5", "2", "1"]))\n" }
                    if random.chance(40) { text += "      on_exit_codes: \(value(good: ["[75, 111]", "75", "[1]"], badPool: Self.badExitCodeLists))\n" }
                    if random.chance(40) { text += "      max_duration: \(value(good: ["10m", "30s"], badPool: Self.badDurations))\n" }
                }
            }
            if random.chance(15) {
                text += random.chance(50)
                    ? "    approval: \(value(good: ["true", "false"]))\n"
                    : "    approval:\n      prompt: \(value(good: ["Go?"]))\n      approvers: \(value(good: ["[alice]", "bob"]))\n"
                if random.chance(30) {
                    text += "      inputs:\n        \(value(good: ["version", "channel"])): {type: \(value(good: ["string", "number"])), required: \(value(good: ["true", "false"]))}\n"
                }
            }
            if random.chance(20) {
                text += "    simulate:\n      duration: \(value(good: ["1s"], badPool: Self.badDurations))\n"
                if random.chance(50) { text += "      exit_codes: [\(value(good: ["0"])), \(value(good: ["1"]))]\n" }
                if random.chance(30) { text += "      failure_chance: \(value(good: ["0.5", "1"]))\n" }
                if random.chance(30) { text += "      outputs:\n        \(value(good: ["x"])): \(value(good: ["\"1\""]))\n" }
            }
            if random.chance(10) { text += "    \(value(good: ["continue_on_error", "idempotent"])): \(value(good: ["true"]))\n" }
            if random.chance(15) {
                text += random.chance(50)
                    ? "    for_each: \(value(good: ["[a, b]", "[web1]", "${{ steps.\(ids[0]).outputs.hosts }}", "\"${{ steps['\(ids[0])'].outputs['a-b'] }}\""]))\n"
                    : "    matrix:\n      \(value(good: ["region"])): \(value(good: ["[us, eu]"]))\n      exclude: \(value(good: ["[{region: us}]", "[]"]))\n"
                if random.chance(40) { text += "    \(value(good: ["max_parallel", "batch", "max_failures"])): \(value(good: ["1", "2"]))\n" }
            }
            text += placementLines(naming: inventory.names)
            if random.chance(5) { text += "    \(random.pick(["rnu", "need", "timout", "enviroment", "x", "use", "wiht", "onn"])): 1\n" }
        }
        if random.chance(10) {
            // A call of a file that is nowhere, named absolutely so that every entry point says the same.
            text += "  call:\n    uses: \(value(good: ["/nonexistent/baton-fuzz/lib.yaml"]))\n"
            if random.chance(50) { text += "    with: \(value(good: ["{a: b}", "{}"], badPool: Self.badWithValues))\n" }
            if random.chance(20) { text += "    \(random.pick(["run: make", "for_each: [a]", "when: failure()", "needs: [s0]"]))\n" }
        }
        if random.chance(10) {
            text += "outputs:\n  \(value(good: ["version", "out"])): \(value(good: ["steps.s0.outputs.x", "${{ steps.s0.outputs.y }}"], badPool: Self.badConditions))\n"
        }
        if random.chance(20) { text += "timeout: \(value(good: ["30m", "1h"], badPool: Self.badDurations))\n" }
        if random.chance(25) {
            text += "finally:\n  \(value(good: ["report", ids[0]])):\n    run: \(value(good: ["echo done"]))\n"
            if random.chance(50) { text += "    needs: [\(value(good: [ids[0], "report"]))]\n" }
        }
        return text
    }

    /// A good value most of the time, otherwise one from `badPool` or the general pool.
    mutating func value(good: [String], badPool: [String] = MalformedWorkflowGenerator.badValues) -> String {
        random.chance(85) ? random.pick(good) : random.chance(50) ? random.pick(badPool) : random.pick(Self.badValues)
    }

    // MARK: - Hostile documents

    /// Fixed documents that attack the loader's limits: deep nesting in every style, alias
    /// bombs and alias chains, huge scalars and keys, many steps, cycles and problems.
    static func hostileDocuments() -> [Document] {
        var documents: [Document] = []
        func add(_ label: String, _ text: String) { documents.append(Document(label, text)) }
        let header = "steps:\n  a:\n    run: "

        // Nesting, flow and block, closed and unclosed, at the root and inside a value.
        for depth in [63, 64, 65, 999, 1_000, 1_001, 10_000, 100_000] {
            let open = String(repeating: "[", count: depth), close = String(repeating: "]", count: depth)
            add("flow sequences \(depth) deep", header + open + close + "\n")
            add("flow mappings \(depth) deep", header + String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth) + "\n")
            add("block sequences \(depth) deep", header + "\n      " + String(repeating: "- ", count: depth) + "x\n")
        }
        for depth in [10_000, 100_000] {
            add("unclosed flow sequences \(depth) deep", header + String(repeating: "[", count: depth) + "\n")
            add("unclosed flow mappings \(depth) deep", String(repeating: "{a: ", count: depth))
            add("block sequences \(depth) deep at the root", String(repeating: "- ", count: depth) + "x\n")
            add("mixed nesting \(depth) deep", header + String(repeating: "[{a: ", count: depth / 2) + "\n")
            add("complex keys \(depth) deep", String(repeating: "? ", count: depth) + "x\n")
        }
        for depth in [65, 1_500] {
            var block = "steps:\n  a:\n    run:\n"
            for level in 0..<depth { block += String(repeating: " ", count: 6 + level) + "k:\n" }
            add("block mappings \(depth) deep by indentation", block)
        }

        // Alias bombs: each level repeats the one before ten times.
        for (levels, style) in [(9, "sequence"), (9, "mapping"), (6, "sequence")] {
            var bomb = style == "sequence" ? "x0: &a0 [y, y, y, y, y, y, y, y, y, y]\n" : "x0: &a0 {a: y, b: y, c: y, d: y, e: y}\n"
            for level in 1..<levels {
                let aliases = Array(repeating: "*a\(level - 1)", count: 10)
                bomb += style == "sequence"
                    ? "x\(level): &a\(level) [" + aliases.joined(separator: ", ") + "]\n"
                    : "x\(level): &a\(level) {" + aliases.enumerated().map { "k\($0.offset): \($0.element)" }.joined(separator: ", ") + "}\n"
            }
            let top = "*a\(levels - 1)"
            add("alias bomb of \(levels) \(style) levels", bomb + "steps:\n  a: {run: x, needs: \(top)}\n")
            add("alias bomb of \(levels) \(style) levels used as a key", bomb + "? \(top)\n: v\nsteps:\n  a: {run: x}\n")
            add("alias bomb of \(levels) \(style) levels in env", "env: \(top)\n" + bomb + "steps:\n  a: {run: x}\n")
            add("alias bomb of \(levels) \(style) levels inside a key", bomb + "? [\(top), \(top)]\n: v\nsteps:\n  a: {run: x}\n")
        }
        let wide = "big: &big [" + Array(repeating: "x", count: 20_000).joined(separator: ", ") + "]\n"
        add("one wide anchor aliased many times", wide + "many: [" + Array(repeating: "*big", count: 1_000).joined(separator: ", ") + "]\nsteps:\n  a: {run: x}\n")
        add("one wide anchor aliased as many keys", wide + (0..<200).map { "? [\($0), *big]\n: v\n" }.joined() + "steps:\n  a: {run: x}\n")

        // Alias chains: each anchor holds an alias of the one before, nesting as deep as the chain is long.
        for depth in [999, 1_000, 10_000, 100_000] {
            let links = String(repeating: "&a [*a], ", count: depth)
            add("alias chain \(depth) long used as a key", "chain: [&a [x], \(links)]\n? *a\n: v\nsteps:\n  a: {run: x}\n")
            guard depth < 100_000 else { continue }
            add("alias chain \(depth) long", "chain: [&a [x], \(links)]\nsteps:\n  a: {run: *a}\n")
            add("alias chain \(depth) long, then a syntax error", "chain: [&a [x], \(links)\nsteps: {\n")
            add("alias chain \(depth) long, then an undefined alias", "chain: [&a [x], \(links) *nothing]\nsteps:\n  a: {run: x}\n")
        }
        var namedChain = "c0: &c0 [x]\n"
        for level in 1..<5_000 { namedChain += "c\(level): &c\(level) [*c\(level - 1)]\n" }
        add("named alias chain 5000 long", namedChain + "steps:\n  a: {run: *c4999}\n")
        add("alias of a mapping chain", "m: &m {a: 1}\n" + String(repeating: "n: &m {m: *m}\n", count: 2) + "steps:\n  a: {run: x}\n")
        add("undefined alias", "steps:\n  a: {run: *nowhere}\n")
        add("alias before its anchor", "steps:\n  a: {run: *later}\nx: &later y\n")
        add("anchor on an alias", "x: &a y\nsteps:\n  a: {run: &b *a}\n")
        add("merge keys", "base: &base {run: x}\nsteps:\n  a:\n    <<: *base\n")

        // Huge scalars and keys.
        let megabyte = 1 << 20
        add("a 2 MiB plain command", header + String(repeating: "x", count: 2 * megabyte) + "\n")
        add("a 2 MiB double-quoted command with escapes", header + "\"" + String(repeating: "\\u00e9\\t\\\"", count: megabyte / 4) + "\"\n")
        add("a 1 MiB single-quoted command", header + "'" + String(repeating: "it''s ", count: megabyte / 6) + "'\n")
        add("a literal block of 50,000 lines", header + "|\n" + String(repeating: "      echo line\n", count: 50_000))
        add("a folded block of 50,000 lines", header + ">\n" + String(repeating: "      word\n", count: 50_000))
        add("a 1 MiB key", String(repeating: "k", count: megabyte) + ": v\nsteps:\n  a: {run: x}\n")
        add("a 1 MiB quoted key", "\"" + String(repeating: "k", count: megabyte) + "\": v\nsteps:\n  a: {run: x}\n")
        add("a 100,000-character step id", "steps:\n  " + String(repeating: "s", count: 100_000) + ": {run: x}\n")
        add("a 100,000-character need", "steps:\n  a: {run: x, needs: [" + String(repeating: "n", count: 100_000) + "]}\n")
        add("a 1 MiB env value", "env:\n  BIG: " + String(repeating: "v", count: megabyte) + "\nsteps:\n  a: {run: x}\n")
        add("a 256 KiB line without a break", String(repeating: "a", count: megabyte / 4))
        add("a 1 MiB description", "description: " + String(repeating: "d", count: megabyte) + "\nsteps:\n  a: {run: x}\n")
        add("16 MiB and one byte", "steps:\n" + String(repeating: "#\n", count: 8 * megabyte - 4) + "##")
        add("a 100 KiB when", "steps:\n  a: {run: x}\n  b:\n    needs: a\n    when: " + String(repeating: "steps.a.state == 'x' && ", count: 4_000) + "true\n")
        add("100,000 parentheses in a when", "steps:\n  a: {run: x}\n  b:\n    needs: a\n    when: \"" + String(repeating: "(", count: 100_000) + "\"\n")
        add("100,000 negations in a when", "steps:\n  a: {run: x}\n  b:\n    needs: a\n    when: \"" + String(repeating: "!", count: 100_000) + "x\"\n")
        add("100,000 digits of duration", header + "x\n    timeout: " + String(repeating: "9", count: 100_000) + "s\n")
        add("20,000 duration parts", header + "x\n    timeout: " + String(repeating: "1h", count: 20_000) + "\n")
        add("100,000 digits of concurrency", "concurrency: " + String(repeating: "9", count: 100_000) + "\nsteps:\n  a: {run: x}\n")
        add("100,000 digits of exit code", "steps:\n  a:\n    simulate: {exit_code: " + String(repeating: "9", count: 100_000) + "}\n")

        documents += hostileInventoryDocuments()

        // Many steps, needs, cycles and problems.
        func steps(_ count: Int, _ line: (Int) -> String) -> String {
            "steps:\n" + (0..<count).map(line).joined()
        }
        add("a chain of 2,000 steps", steps(2_000) { "  s\($0): {run: x\($0 > 0 ? ", needs: [s\($0 - 1)]" : "")}\n" })
        add("a cycle of 2,000 steps", steps(2_000) { "  s\($0): {run: x, needs: [s\(($0 + 1) % 2_000)]}\n" })
        add("500 cycles of two", steps(1_000) { "  s\($0): {run: x, needs: [s\($0 ^ 1)]}\n" })
        add("1,000 steps needing itself", steps(1_000) { "  s\($0): {run: x, needs: s\($0)}\n" })
        add("200 steps needing every step before them", steps(200) { index in
            "  s\(index): {run: x, needs: [\((0..<index).map { "s\($0)" }.joined(separator: ","))]}\n"
        })
        let prefix = String(repeating: "a", count: 55)
        add("1,000 long similar ids and 200 unknown needs",
            steps(1_000) { "  \($0 % 7)\(prefix)\(String(1_000_000_000 + $0)): {run: x}\n" }
                + (0..<200).map { "  z\($0): {run: x, needs: [\(prefix)x\(String(100_000_000 + $0))]}\n" }.joined())
        add("200 steps reading unknown steps in when", steps(200) { "  s\($0): {run: x, needs: [s0], when: steps.t\($0).state == 'x'}\n" })
        add("2,000 unknown top-level keys", (0..<2_000).map { "concurency\($0): 1\n" }.joined() + "steps:\n  a: {run: x}\n")
        add("1,000 steps with nothing to do", steps(1_000) { "  s\($0): {name: n}\n" })
        add("60 repeated step ids", steps(60) { _ in "  same: {run: x}\n" })
        add("200 lines repeating 60 keys", (0..<200).map { "k\($0 % 60): 1\n" }.joined() + "steps:\n  a: {run: x}\n")
        add("60 repeated keys in a 256 KiB file",
            "description: " + String(repeating: "d", count: megabyte / 4) + "\nsteps:\n  a: {run: x}\n" + (0..<60).map { "k\($0): 1\nk\($0): 2\n" }.joined())

        // Documents, directives, tags and odd files.
        add("100,000 documents", String(repeating: "---\na: 1\n", count: 100_000))
        add("only a directive", "%YAML 1.2\n")
        add("an unknown directive version", "%YAML 2.0\n---\nsteps:\n  a: {run: x}\n")
        add("a tag handle", "%TAG !e! tag:example.com,2000:\n---\nsteps:\n  a: {run: !e!cmd x}\n")
        add("binary and mismatched tags", "steps:\n  a:\n    run: !!binary aGVsbG8=\n    needs: !!map {}\n    retry: !!str 3\n    timeout: !!int 5\n")
        add("a verbatim tag", "steps:\n  a: !<tag:yaml.org,2002:map> {run: !<tag:yaml.org,2002:seq> x}\n")
        add("only comments", "# nothing\n# at all\n")
        add("only a byte-order mark", "\u{FEFF}")
        add("byte-order marks everywhere", "\u{FEFF}steps:\n\u{FEFF}  a: {run: x}\n")
        add("empty", "")
        add("only line breaks", String(repeating: "\r\n\u{85}\u{2028}\u{2029}\r", count: 10_000))
        add("a NUL in the middle", "steps:\n  a: {run: x\u{0}}\n")
        add("tabs for indentation", "steps:\n\ta:\n\t\trun: x\n")
        documents.append(Document("UTF-16 with a byte-order mark", [0xFF, 0xFE] + Array("steps:\n  a: {run: x}\n".utf8).flatMap { [$0, 0] }))
        var noise = SplitMix64(seed: 42)
        documents.append(Document("64 KiB of random bytes", (0..<65_536).map { _ in UInt8(truncatingIfNeeded: noise.next()) }))
        documents.append(Document("64 KiB of random printable bytes", (0..<65_536).map { _ in UInt8(0x20 + noise.below(95)) }))
        return documents
    }
}
