/// SVG and HTML pictures of the layered graph, for slides and handouts.
///
/// The picture is laid out by `SVGGraphLayout`: layers as columns from left to right, one
/// rounded box per step holding its id, its name when that differs (smaller) and, with a
/// run, its state, filled with the state's `StateColour`. A gate has a thick border and a
/// step with a `when:` condition a dashed one. Edges are cubic Bézier curves with an
/// arrowhead, from the right side of a need to the left side of its dependent, drawn under
/// the boxes (`SVGGraphLayout.edgePath` routes the ones that skip columns). Above the graph sit the workflow's name, a step and layer count and, with
/// states, a legend of the states present with their counts.
///
/// All free text is escaped with `GraphEscaping.xml` and cut to fit its box, so the
/// output is well-formed XML whatever the workflow holds, and every box has the same width.
/// Element ids are fixed (`baton-arrow`, `baton-step-<position>`), so the same workflow and
/// states always give the same bytes.
extension WorkflowGraphExporter {
    // MARK: Metrics

    /// Space around the picture.
    static let svgMargin = 24
    /// The most characters of a step id shown in its box (14 px bold); longer ids end in "…".
    static let svgIDLimit = 20
    /// The most characters of a step name shown in its box (12 px); longer names end in "…".
    static let svgNameLimit = 26
    /// The most characters of the workflow name shown as the picture's title.
    static let svgTitleLimit = 80
    /// The width given to one legend entry; entries wrap to the canvas width.
    static let svgLegendEntryWidth = 170
    /// The height of one row of legend entries.
    static let svgLegendRowHeight = 22
    /// The narrowest canvas, so an empty or tiny workflow still has room for its title.
    static let svgMinimumWidth = 320

    /// Colours of the parts that do not depend on a state.
    private static let ink = "#1F2328"
    private static let mutedInk = "#57606A"
    private static let border = "#333333"
    private static let edgeColour = "#8C959F"
    private static let paper = "#FFFFFF"
    private static let fontFamily = "Helvetica, Arial, sans-serif"

    // MARK: Documents

    /// A standalone SVG file: an XML declaration, then the picture with its title and legend.
    static func svgDocument(_ graph: ExportGraph) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + svgPicture(graph, withHeader: true)
    }

    /// A standalone HTML5 page: the name as title and heading, the description, a summary, a
    /// legend of the states present, and the picture inline (without its own header, which
    /// the page already shows). It needs no scripts, fonts or other files.
    static func htmlDocument(_ graph: ExportGraph) -> String {
        let name = GraphEscaping.xml(graph.workflow.name)
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="baton graph">
            <title>\(name)</title>
            <style>
            body { margin: 2rem; font-family: \(fontFamily); color: \(ink); background: \(paper); }
            h1 { margin: 0 0 0.25rem; font-size: 1.6rem; overflow-wrap: anywhere; }
            .description { margin: 0 0 0.5rem; white-space: pre-line; overflow-wrap: anywhere; }
            .summary { margin: 0 0 1rem; color: \(mutedInk); }
            .legend { display: flex; flex-wrap: wrap; gap: 0.5rem 1.25rem; list-style: none; margin: 0 0 1rem; padding: 0; }
            .legend li { display: flex; align-items: center; gap: 0.4rem; }
            .swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border: 1px solid \(border); border-radius: 3px; }
            .graph { overflow: auto; }
            .graph svg { display: block; }
            </style>
            </head>
            <body>
            <h1>\(name)</h1>

            """
        if let description = graph.workflow.description {
            let text = GraphEscaping.xml(description, keepingLineBreaks: true)
            if !text.isEmpty { out += "<p class=\"description\">\(text)</p>\n" }
        }
        out += "<p class=\"summary\">\(summary(graph))</p>\n"
        let counts = stateCounts(graph)
        if !counts.isEmpty {
            out += "<ul class=\"legend\" aria-label=\"Step states\">\n"
            for (state, count) in counts {
                out += "<li><span class=\"swatch\" style=\"background: \(StateColour.of(state).fill)\"></span>"
                    + "\(state.rawValue) \(count)</li>\n"
            }
            out += "</ul>\n"
        }
        out += "<div class=\"graph\">\n"
        out += svgPicture(graph, withHeader: false)
        out += "</div>\n</body>\n</html>\n"
        return out
    }

    // MARK: Picture

    /// The `<svg>` element, ending with a newline. With `withHeader`, the title, the summary
    /// and the legend are drawn above the graph.
    private static func svgPicture(_ graph: ExportGraph, withHeader: Bool) -> String {
        let layout = SVGGraphLayout(layers: graph.layers, needs: graph.needs)
        let counts = withHeader ? stateCounts(graph) : []
        let title = GraphEscaping.xml(graph.workflow.name, limit: svgTitleLimit)
        let titleLength = GraphEscaping.truncated(graph.workflow.name, to: svgTitleLimit).count

        // Widths: the graph, the title (about 13 px a character at 22 px bold), the legend.
        var width = max(svgMinimumWidth, layout.width + 2 * svgMargin)
        if withHeader {
            width = max(width, titleLength * 13 + 2 * svgMargin, min(counts.count, 4) * svgLegendEntryWidth + 2 * svgMargin)
        }
        let entriesPerRow = max(1, (width - 2 * svgMargin) / svgLegendEntryWidth)
        let legendRows = (counts.count + entriesPerRow - 1) / entriesPerRow
        let headerHeight = withHeader ? 78 + (legendRows > 0 ? 6 + legendRows * svgLegendRowHeight : 0) + 14 : svgMargin
        let height = headerHeight + layout.height + (layout.height > 0 ? svgMargin : 0)

        var out = ""
        out.reserveCapacity(600 * graph.workflow.steps.count + 2_000)
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\""
            + " viewBox=\"0 0 \(width) \(height)\" role=\"img\" font-family=\"\(fontFamily)\">\n"
        out += "<title>\(title)</title>\n"
        out += "<defs>\n"
        out += "<marker id=\"baton-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\""
            + " markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"\(edgeColour)\"/></marker>\n"
        out += "<clipPath id=\"baton-node-clip\"><rect x=\"4\" y=\"2\" width=\"\(SVGGraphLayout.nodeWidth - 8)\""
            + " height=\"\(SVGGraphLayout.nodeHeight - 4)\"/></clipPath>\n"
        out += "</defs>\n"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"\(paper)\"/>\n"

        if withHeader {
            out += "<text x=\"\(svgMargin)\" y=\"44\" font-size=\"22\" font-weight=\"bold\" fill=\"\(ink)\">\(title)</text>\n"
            out += "<text x=\"\(svgMargin)\" y=\"66\" font-size=\"13\" fill=\"\(mutedInk)\">\(summary(graph))</text>\n"
            if !counts.isEmpty { out += legend(counts, top: 84, entriesPerRow: entriesPerRow) }
        }

        let left = svgMargin
        let top = headerHeight
        out += "<g class=\"edges\" fill=\"none\" stroke=\"\(edgeColour)\" stroke-width=\"1.5\">\n"
        let shift = SVGGraphLayout.Point(x: left, y: top)
        for index in graph.needs.indices {
            for need in graph.needs[index] {
                out += "<path class=\"edge\" d=\"\(layout.edgePath(from: need, to: index, shiftedBy: shift))\""
                    + " marker-end=\"url(#baton-arrow)\"/>\n"
            }
        }
        out += "</g>\n"

        out += "<g class=\"steps\">\n"
        for column in layout.columns {
            for index in column {
                let origin = layout.origins[index]
                out += node(graph, index, x: left + origin.x, y: top + origin.y)
            }
        }
        out += "</g>\n</svg>\n"
        return out
    }

    /// One step's box, its lines of text, and a tooltip with the full id, name and state.
    private static func node(_ graph: ExportGraph, _ index: Int, x: Int, y: Int) -> String {
        let step = graph.workflow.steps[index]
        let state = graph.states[index]
        let colour = state.map(StateColour.of) ?? StateColour(fill: paper, text: ink)

        var lines = [(text: GraphEscaping.xml(step.id, limit: svgIDLimit), attributes: "font-size=\"14\" font-weight=\"bold\"")]
        var tooltip = step.id
        if let name = step.name, !name.isEmpty, name != step.id {
            lines.append((GraphEscaping.xml(name, limit: svgNameLimit), "font-size=\"12\""))
            tooltip += " — " + name
        }
        if let state {
            lines.append((state.rawValue, "font-size=\"11\" font-style=\"italic\""))
            tooltip += " — " + state.rawValue
        }
        let baselines: [Int]
        switch lines.count {
        case 1: baselines = [37]
        case 2: baselines = [28, 46]
        default: baselines = [22, 39, 55]
        }

        var outline = "stroke=\"\(border)\" stroke-width=\"\(step.approval != nil ? "3" : "1.5")\""
        if step.when != nil { outline += " stroke-dasharray=\"6 4\"" }
        var out = "<g id=\"baton-step-\(index)\" class=\"step\" transform=\"translate(\(x),\(y))\">"
        out += "<title>\(GraphEscaping.xml(tooltip))</title>"
        out += "<rect width=\"\(SVGGraphLayout.nodeWidth)\" height=\"\(SVGGraphLayout.nodeHeight)\" rx=\"10\" ry=\"10\""
            + " fill=\"\(colour.fill)\" \(outline)/>"
        out += "<g clip-path=\"url(#baton-node-clip)\" text-anchor=\"middle\" fill=\"\(colour.text)\">"
        for (line, baseline) in zip(lines, baselines) {
            out += "<text x=\"\(SVGGraphLayout.nodeWidth / 2)\" y=\"\(baseline)\" \(line.attributes)>\(line.text)</text>"
        }
        out += "</g></g>\n"
        return out
    }

    /// The legend: a swatch and "state count" for each state present, wrapped into rows.
    private static func legend(_ counts: [(state: StepState, count: Int)], top: Int, entriesPerRow: Int) -> String {
        var out = "<g class=\"legend\" font-size=\"12\" fill=\"\(ink)\">\n"
        for (number, entry) in counts.enumerated() {
            let x = svgMargin + (number % entriesPerRow) * svgLegendEntryWidth
            let y = top + (number / entriesPerRow) * svgLegendRowHeight
            out += "<rect x=\"\(x)\" y=\"\(y + 2)\" width=\"14\" height=\"14\" rx=\"3\" ry=\"3\""
                + " fill=\"\(StateColour.of(entry.state).fill)\" stroke=\"\(border)\"/>"
            out += "<text x=\"\(x + 20)\" y=\"\(y + 14)\">\(entry.state.rawValue) \(entry.count)</text>\n"
        }
        out += "</g>\n"
        return out
    }

    // MARK: Shared

    /// "N steps in M layers".
    private static func summary(_ graph: ExportGraph) -> String {
        "\(counted(graph.workflow.steps.count, "step")) in \(counted(graph.layers.count, "layer"))"
    }

    /// The states present in the run, in `StepState` order, with how many steps are in each.
    private static func stateCounts(_ graph: ExportGraph) -> [(state: StepState, count: Int)] {
        var counts: [StepState: Int] = [:]
        for case let state? in graph.states { counts[state, default: 0] += 1 }
        return StepState.allCases.compactMap { state in counts[state].map { (state, $0) } }
    }
}
