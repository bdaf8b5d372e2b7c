/// The formats `WorkflowGraphExporter` writes.
public enum GraphFormat: String, Sendable, CaseIterable {
    /// A layered listing for a terminal.
    case text
    /// Graphviz DOT, for `dot -Tsvg`.
    case dot
    /// A Mermaid flowchart, for Markdown renderers.
    case mermaid
    /// A standalone SVG picture of the layered graph, for slides and documents.
    case svg
    /// A standalone HTML page: the name, the description, a state legend and the SVG picture.
    case html
}

/// Writes a workflow's dependency graph as text, Graphviz DOT, a Mermaid flowchart, SVG or HTML.
///
/// Every format lists steps in file order (the text listing groups them by `GraphLayers`
/// layer first; SVG and HTML draw the layers as columns, see `SVGGraphLayout`) and draws an
/// edge from each need to its dependent. Needs that name no step are left out, duplicates
/// are drawn once. Names are free text and are escaped for each format; the text listing
/// also makes control characters visible, so a name cannot drive the terminal, and SVG and
/// HTML drop them. The output ends with a newline. Work is linear in steps plus edges (SVG
/// and HTML sort each layer once).
public enum WorkflowGraphExporter {
    /// Renders the graph of `workflow`.
    ///
    /// - Parameter states: the state of each step (by id) in a run, if any: the text listing
    ///   shows it next to the step, DOT, Mermaid, SVG and HTML fill the node with the state's
    ///   colour and add the state to its label; SVG and HTML also draw a legend of the states
    ///   with their counts. Steps missing from the map are drawn without a state.
    public static func render(_ workflow: Workflow, format: GraphFormat, states: [String: StepState] = [:]) -> String {
        let graph = ExportGraph(workflow, states: states)
        switch format {
        case .text: return text(graph)
        case .dot: return dot(graph)
        case .mermaid: return mermaid(graph)
        case .svg: return svgDocument(graph)
        case .html: return htmlDocument(graph)
        }
    }

    // MARK: Text

    /// Ids longer than this are not padded further, so one long id cannot push every line right.
    static let idColumnLimit = 24

    private static func text(_ graph: ExportGraph) -> String {
        let steps = graph.workflow.steps
        let ids = steps.map { GraphEscaping.printable($0.id) }
        var out = GraphEscaping.printable(graph.workflow.name)
            + " — \(counted(steps.count, "step")) in \(counted(graph.layers.count, "layer"))\n"

        let stateLabels = graph.states.map { $0.map { glyph($0) + " " + $0.rawValue } }
        var counts: [StepState: Int] = [:]
        for case let state? in graph.states { counts[state, default: 0] += 1 }
        if !counts.isEmpty {
            let summary = StepState.allCases.compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
            out += "states  " + summary.joined(separator: ", ") + "\n"
        }

        let idWidth = min(ids.lazy.map(\.count).max() ?? 0, idColumnLimit)
        let stateWidth = stateLabels.lazy.compactMap { $0?.count }.max() ?? 0
        for (number, layer) in graph.layers.enumerated() {
            out += "layer \(number + 1)\n"
            for index in layer {
                let step = steps[index]
                var line = "  " + padded(ids[index], to: idWidth)
                if stateWidth > 0 { line += "  " + padded(stateLabels[index] ?? "", to: stateWidth) }
                if let name = step.name, !name.isEmpty, name != step.id {
                    line += "  \"" + GraphEscaping.printable(name) + "\""
                }
                let needs = graph.needs[index]
                if !needs.isEmpty { line += "  ← " + needs.map { ids[$0] }.joined(separator: ", ") }
                if step.approval != nil { line += "  [gate]" }
                if step.when != nil { line += "  [when]" }
                while line.last == " " { line.removeLast() }
                out += line + "\n"
            }
        }
        return out
    }

    /// The state's mark in the text listing, the same marks as the progress lines of the CLI.
    static func glyph(_ state: StepState) -> String { state.mark }

    static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    private static func padded(_ text: String, to width: Int) -> String {
        let count = text.count
        return count >= width ? text : text + String(repeating: " ", count: width - count)
    }

    // MARK: DOT

    private static func dot(_ graph: ExportGraph) -> String {
        let steps = graph.workflow.steps
        let ids = steps.map { GraphEscaping.dotString($0.id) }
        var out = "digraph \(GraphEscaping.dotString(graph.workflow.name)) {\n"
        out += "  rankdir=LR;\n"
        out += "  node [shape=box, style=rounded];\n"
        for (index, step) in steps.enumerated() {
            let state = graph.states[index]
            var attributes = ["label=" + GraphEscaping.dotString(label(step, state: state).joined(separator: "\n"))]
            if step.approval != nil { attributes.append("shape=hexagon") }
            var style = ["rounded"]
            if state != nil { style.append("filled") }
            if step.when != nil { style.append("dashed") }
            if style.count > 1 { attributes.append("style=\"" + style.joined(separator: ",") + "\"") }
            if let state {
                let colour = StateColour.of(state)
                attributes.append("fillcolor=\"\(colour.fill)\"")
                attributes.append("fontcolor=\"\(colour.text)\"")
            }
            out += "  \(ids[index]) [\(attributes.joined(separator: ", "))];\n"
        }
        for index in steps.indices {
            for need in graph.needs[index] { out += "  \(ids[need]) -> \(ids[index]);\n" }
        }
        out += "}\n"
        return out
    }

    // MARK: Mermaid

    /// Class name for steps with a `when:` condition, drawn with a dashed border.
    static let conditionalClass = "conditional"

    private static func mermaid(_ graph: ExportGraph) -> String {
        let steps = graph.workflow.steps
        let ids = steps.indices.map { GraphEscaping.mermaidID(steps[$0].id, position: $0) }
        var out = "flowchart LR\n"
        for (index, step) in steps.enumerated() {
            let text = label(step, state: graph.states[index]).map(GraphEscaping.mermaidLabel).joined(separator: "<br/>")
            out += step.approval != nil ? "  \(ids[index]){\"\(text)\"}\n" : "  \(ids[index])[\"\(text)\"]\n"
        }
        for index in steps.indices {
            for need in graph.needs[index] { out += "  \(ids[need]) --> \(ids[index])\n" }
        }
        var byState: [StepState: [String]] = [:]
        for (index, state) in graph.states.enumerated() {
            if let state { byState[state, default: []].append(ids[index]) }
        }
        for state in StepState.allCases {
            guard let members = byState[state] else { continue }
            let colour = StateColour.of(state)
            out += "  classDef \(state.rawValue) fill:\(colour.fill),color:\(colour.text)\n"
            out += "  class \(members.joined(separator: ",")) \(state.rawValue)\n"
        }
        let conditional = steps.indices.filter { steps[$0].when != nil }.map { ids[$0] }
        if !conditional.isEmpty {
            out += "  classDef \(conditionalClass) stroke-dasharray:5 5\n"
            out += "  class \(conditional.joined(separator: ",")) \(conditionalClass)\n"
        }
        return out
    }

    // MARK: Shared

    /// The lines of a node's label, unescaped: the display name, the id when it differs, the state.
    private static func label(_ step: Step, state: StepState?) -> [String] {
        var lines: [String] = []
        if let name = step.name, !name.isEmpty, name != step.id {
            lines = [name, "(\(step.id))"]
        } else {
            lines = [step.id]
        }
        if let state { lines.append(state.rawValue) }
        return lines
    }
}

/// The fill and text colours of a node in a given state.
struct StateColour: Sendable, Hashable {
    var fill: String
    var text: String

    static func of(_ state: StepState) -> StateColour {
        switch state {
        case .pending: return StateColour(fill: "#FFFFFF", text: "#000000")
        case .held: return StateColour(fill: "#D7C9EA", text: "#000000")
        case .waiting: return StateColour(fill: "#FFBF00", text: "#000000")
        case .running: return StateColour(fill: "#2F7ED8", text: "#FFFFFF")
        case .suspended: return StateColour(fill: "#9DC3E6", text: "#000000")
        case .retrying: return StateColour(fill: "#F0883E", text: "#000000")
        case .succeeded: return StateColour(fill: "#3FA34D", text: "#FFFFFF")
        case .failed: return StateColour(fill: "#D64541", text: "#FFFFFF")
        case .skipped: return StateColour(fill: "#BDBDBD", text: "#000000")
        case .blocked: return StateColour(fill: "#555555", text: "#FFFFFF")
        case .cancelled: return StateColour(fill: "#8D6E63", text: "#FFFFFF")
        case .interrupted: return StateColour(fill: "#E67E22", text: "#000000")
        case .rollingBack: return StateColour(fill: "#8E44AD", text: "#FFFFFF")
        case .rolledBack: return StateColour(fill: "#C39BD3", text: "#000000")
        case .rollbackFailed: return StateColour(fill: "#8B0000", text: "#FFFFFF")
        }
    }
}

/// What every format needs: the workflow, its deduplicated needs, its layers and the states.
struct ExportGraph {
    let workflow: Workflow
    /// For each step, the positions of the steps it needs: declared order, unknown ids dropped, no repeats.
    let needs: [[Int]]
    let layers: [[Int]]
    /// For each step, its state in the run, if one was given.
    let states: [StepState?]

    init(_ workflow: Workflow, states: [String: StepState]) {
        let plan = Plan(workflow: workflow)
        self.workflow = workflow
        var seenBy = Array(repeating: -1, count: plan.needs.count)
        self.needs = plan.needs.indices.map { index in
            plan.needs[index].filter { need in
                guard seenBy[need] != index else { return false }
                seenBy[need] = index
                return true
            }
        }
        self.layers = GraphLayers.layers(of: GraphLayers.layerIndexes(plan))
        self.states = states.isEmpty ? Array(repeating: nil, count: workflow.steps.count) : workflow.steps.map { states[$0.id] }
    }
}

/// Escaping of free text for each output format.
enum GraphEscaping {
    /// Text with control and bidirectional-override characters made visible, safe to print.
    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x00..<0x20, 0x7F..<0xA0:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
            case 0x202A...0x202E, 0x2066...0x2069:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A double-quoted DOT string: quotes and backslashes escaped, line breaks as `\n`,
    /// tabs as spaces, other control characters dropped.
    static func dotString(_ text: String) -> String {
        var result = "\""
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\r": result += "\\n"
            case "\n": if !afterCR { result += "\\n" }
            case "\t": result += " "
            default:
                if isControl(scalar) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Text for inside a double-quoted Mermaid label: quotes, `#`, `&`, `<`, `>` and backticks
    /// as Mermaid entity codes, line breaks as `<br/>`, tabs as spaces, other control
    /// characters dropped.
    static func mermaidLabel(_ text: String) -> String {
        var result = ""
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\"": result += "#quot;"
            case "#": result += "#35;"
            case "&": result += "#amp;"
            case "<": result += "#lt;"
            case ">": result += "#gt;"
            case "`": result += "#96;"
            case "\r": result += "<br/>"
            case "\n": if !afterCR { result += "<br/>" }
            case "\t": result += " "
            default:
                if isControl(scalar) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        // Mermaid's lexer takes any line holding `direction LR` (or TB, BT, RL) for a
        // direction statement, even inside a label; an entity for the `n` hides the word.
        if result.contains("direction") {
            result = result.replacing("direction", with: "directio#110;")
        }
        return result
    }

    /// Text for XML or HTML character data and quoted attribute values.
    ///
    /// Control characters, bidirectional overrides and isolates, and the non-characters
    /// U+FFFE and U+FFFF are dropped (XML cannot hold most of them, and a name should not
    /// reorder the text around it); tabs and line breaks become spaces, or with
    /// `keepingLineBreaks` line breaks stay as `\n`. Then the text is cut to `limit`
    /// characters, ending in "…", and `&`, `<`, `>`, `"` and `'` become entities.
    static func xml(_ text: String, limit: Int? = nil, keepingLineBreaks: Bool = false) -> String {
        var clean = ""
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\r": clean += keepingLineBreaks ? "\n" : " "
            case "\n": if !afterCR { clean += keepingLineBreaks ? "\n" : " " }
            case "\t": clean += " "
            case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}", "\u{FFFE}", "\u{FFFF}": continue
            default:
                if isControl(scalar) { continue }
                clean.unicodeScalars.append(scalar)
            }
        }
        if let limit { clean = truncated(clean, to: limit) }
        var result = ""
        result.reserveCapacity(clean.utf8.count)
        for scalar in clean.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The text itself when it has at most `limit` characters, else its first `limit - 1`
    /// characters (without trailing spaces) and "…".
    static func truncated(_ text: String, to limit: Int) -> String {
        guard limit > 0 else { return "" }
        guard text.count > limit else { return text }
        var head = String(text.prefix(limit - 1))
        while head.last == " " { head.removeLast() }
        return head + "…"
    }

    /// Words Mermaid's lexer reads as keywords when a node id starts with them.
    private static let mermaidKeywordPrefixes = [
        "style", "default", "linkStyle", "interpolate", "classDef", "class", "href", "click", "call",
        "graph", "flowchart", "subgraph", "direction", "accTitle", "accDescr",
    ]

    /// The node id to use in Mermaid: the step id when Mermaid reads it as a plain id, else
    /// `_<position>`, which no plain id can equal (plain ids start with a letter).
    static func mermaidID(_ id: String, position: Int) -> String {
        isPlainMermaidID(id) ? id : "_\(position)"
    }

    /// Letters, digits, `_` and single inner `-`, starting with a letter, not starting with a
    /// keyword and not the word `end`.
    static func isPlainMermaidID(_ id: String) -> Bool {
        let scalars = Array(id.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last, isASCIILetter(first), last != "-" else { return false }
        var previous: Unicode.Scalar = first
        for scalar in scalars.dropFirst() {
            if scalar == "-" {
                if previous == "-" { return false }
            } else if !(isASCIILetter(scalar) || ("0"..."9").contains(scalar) || scalar == "_") {
                return false
            }
            previous = scalar
        }
        if mermaidKeywordPrefixes.contains(where: { id.hasPrefix($0) }) { return false }
        // `end` is a keyword when a non-word character (or nothing) follows it.
        if id.hasPrefix("end") {
            let next = scalars.dropFirst(3).first
            if next == nil || next == "-" { return false }
        }
        return true
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }
}
