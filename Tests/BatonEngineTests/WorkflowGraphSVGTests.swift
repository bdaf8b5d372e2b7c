import Foundation
import Testing
@testable import BatonEngine
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct WorkflowGraphSVGTests {
    /// build → unit, lint → release; `unit` has a name, `lint` a condition, `release` is a gate.
    private let diamond = Workflow(name: "diamond", description: "Build once,\ntest twice & ship.", steps: [
        Step(id: "build", run: "make"),
        Step(id: "unit", name: "Unit tests", run: "make test", needs: ["build"]),
        Step(id: "lint", run: "make lint", needs: ["build"], when: Condition(
            source: "steps.build.outputs.lint == 'yes'", expression: .equal(.output(step: "build", key: "lint"), .literal("yes")))),
        Step(id: "release", needs: ["unit", "lint"], approval: ApprovalGate(prompt: "Ship?")),
    ])

    private let diamondStates: [String: StepState] = [
        "build": .succeeded, "unit": .succeeded, "lint": .failed, "release": .blocked,
    ]

    private let hostileText = "<script>&\"'"

    // MARK: Well-formed output

    @Test func svgIsWellFormedXMLEndingWithANewline() throws {
        for states in [[:], diamondStates] {
            let svg = WorkflowGraphExporter.render(diamond, format: .svg, states: states)
            let document = try ParsedXML(svg)
            #expect(document.elements.first?.name == "svg")
            #expect(document.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")
            #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
            #expect(svg.hasSuffix("</svg>\n"))
        }
        let empty = WorkflowGraphExporter.render(Workflow(name: "empty", steps: []), format: .svg)
        #expect(try ParsedXML(empty).steps.isEmpty)
        #expect(empty.hasSuffix("\n"))
    }

    @Test func theCanvasHoldsEveryNode() throws {
        let svg = WorkflowGraphExporter.render(diamond, format: .svg, states: diamondStates)
        let document = try ParsedXML(svg)
        let root = try #require(document.elements.first)
        let width = try #require(root.attributes["width"].flatMap { Int($0) })
        let height = try #require(root.attributes["height"].flatMap { Int($0) })
        #expect(root.attributes["viewBox"] == "0 0 \(width) \(height)")
        for step in document.steps {
            let origin = try #require(step.origin)
            #expect(origin.x >= 0 && origin.x + SVGGraphLayout.nodeWidth <= width)
            #expect(origin.y >= 0 && origin.y + SVGGraphLayout.nodeHeight <= height)
        }
    }

    // MARK: Nodes and edges

    @Test func oneNodePerStepAndOnePathPerEdge() throws {
        let document = try ParsedXML(WorkflowGraphExporter.render(diamond, format: .svg))
        #expect(document.steps.count == 4)
        #expect(document.edges.count == 4)
        #expect(document.edges.allSatisfy { $0.attributes["marker-end"] == "url(#baton-arrow)" })
        #expect(document.elements.contains { $0.name == "marker" && $0.attributes["id"] == "baton-arrow" })
        #expect(document.steps.map { $0.attributes["id"] } == ["baton-step-0", "baton-step-1", "baton-step-2", "baton-step-3"])

        // A repeated need is drawn once and a need naming no step not at all.
        let untidy = Workflow(name: "untidy", steps: [
            Step(id: "a", run: "true", needs: ["ghost"]),
            Step(id: "b", run: "true", needs: ["a", "a"]),
            Step(id: "c", run: "true", needs: ["a", "b"]),
        ])
        let untidyDocument = try ParsedXML(WorkflowGraphExporter.render(untidy, format: .svg))
        #expect(untidyDocument.steps.count == 3)
        #expect(untidyDocument.edges.count == 3)
    }

    @Test func nodesShowTheIDAndADifferentNameSmaller() throws {
        let document = try ParsedXML(WorkflowGraphExporter.render(diamond, format: .svg))
        let unit = try document.step(1)
        let lines = document.descendants(of: unit, named: "text")
        #expect(lines.map(\.text) == ["unit", "Unit tests"])
        #expect(lines.map { $0.attributes["font-size"] } == ["14", "12"])
        #expect(try document.descendants(of: document.step(0), named: "text").map(\.text) == ["build"])
        // The gate's border is thicker, the conditional step's dashed.
        let release = try #require(try document.descendants(of: document.step(3), named: "rect").first)
        #expect(release.attributes["stroke-width"] == "3")
        let lint = try #require(try document.descendants(of: document.step(2), named: "rect").first)
        #expect(lint.attributes["stroke-dasharray"] != nil)
    }

    @Test func edgesRunFromTheRightOfANeedToTheLeftOfItsDependent() throws {
        let chain = Workflow(name: "chain", steps: [
            Step(id: "a", run: "true"),
            Step(id: "b", run: "true", needs: ["a"]),
        ])
        let document = try ParsedXML(WorkflowGraphExporter.render(chain, format: .svg))
        let a = try #require(document.step(0).origin)
        let b = try #require(document.step(1).origin)
        let middle = SVGGraphLayout.nodeHeight / 2
        let path = try #require(document.edges.first?.attributes["d"])
        #expect(path.hasPrefix("M\(a.x + SVGGraphLayout.nodeWidth),\(a.y + middle) C"))
        #expect(path.hasSuffix(" \(b.x),\(b.y + middle)"))
    }

    @Test func anEdgeSkippingAColumnRunsStraightPastTheNodeInTheWay() throws {
        // b → z skips column 2, where m sits lower than b: the edge goes straight on at b's height.
        let workflow = Workflow(name: "skip", steps: [
            Step(id: "a", run: "true"),
            Step(id: "b", run: "true", needs: ["a"]),
            Step(id: "c", run: "true", needs: ["a"]),
            Step(id: "m", run: "true", needs: ["c"]),
            Step(id: "z", run: "true", needs: ["b", "m"]),
        ])
        let document = try ParsedXML(WorkflowGraphExporter.render(workflow, format: .svg))
        let b = try #require(document.step(1).origin)
        let m = try #require(document.step(3).origin)
        let z = try #require(document.step(4).origin)
        let middle = SVGGraphLayout.nodeHeight / 2
        let bendX = z.x - SVGGraphLayout.columnGap
        let path = try #require(document.edges.first { $0.attributes["d"]?.hasPrefix("M\(b.x + SVGGraphLayout.nodeWidth),\(b.y + middle) ") == true }?.attributes["d"])
        #expect(path.hasPrefix("M\(b.x + SVGGraphLayout.nodeWidth),\(b.y + middle) L\(bendX),\(b.y + middle) C"))
        #expect(path.hasSuffix(" \(z.x),\(z.y + middle)"))
        // The straight part passes m's box, not through it.
        #expect(bendX >= m.x + SVGGraphLayout.nodeWidth)
        #expect(b.y + middle < m.y || b.y + middle > m.y + SVGGraphLayout.nodeHeight)
    }

    // MARK: Layout

    @Test func nodePositionsFollowTheLayers() throws {
        let skip = Workflow(name: "skip", steps: [
            Step(id: "d", run: "true", needs: ["a", "c"]),
            Step(id: "a", run: "true"),
            Step(id: "b", run: "true", needs: ["a"]),
            Step(id: "c", run: "true", needs: ["b"]),
            Step(id: "e", run: "true", needs: ["a"]),
            Step(id: "f", run: "true"),
        ])
        let document = try ParsedXML(WorkflowGraphExporter.render(skip, format: .svg))
        let origins = try skip.steps.indices.map { try #require(document.step($0).origin) }
        for (index, step) in skip.steps.enumerated() {
            for need in step.needs {
                let needIndex = try #require(skip.position(of: need))
                #expect(origins[index].x > origins[needIndex].x, "\(step.id) is right of \(need)")
            }
        }
        // Each layer is one column; steps in a column do not overlap.
        let layers = GraphLayers.assign(skip)
        for layer in layers {
            #expect(Set(layer.map { origins[$0].x }).count == 1)
            let tops = layer.map { origins[$0].y }.sorted()
            for (upper, lower) in zip(tops, tops.dropFirst()) { #expect(lower - upper >= SVGGraphLayout.nodeHeight) }
        }
        #expect(Set(layers.map { origins[$0[0]].x }).count == layers.count)
    }

    @Test func aLayerIsOrderedByTheHeightOfItsNeeds() {
        // Layer 0 is [top, bottom]; in file order layer 1 would be [fromBottom, fromTop] and cross.
        let crossing = Workflow(name: "crossing", steps: [
            Step(id: "top", run: "true"),
            Step(id: "bottom", run: "true"),
            Step(id: "fromBottom", run: "true", needs: ["bottom"]),
            Step(id: "fromTop", run: "true", needs: ["top"]),
        ])
        let graph = ExportGraph(crossing, states: [:])
        let layout = SVGGraphLayout(layers: graph.layers, needs: graph.needs)
        #expect(layout.columns == [[0, 1], [3, 2]])
        #expect(layout.origins[3].y == layout.origins[0].y)
        #expect(layout.origins[2].y == layout.origins[1].y)
    }

    // MARK: Escaping

    @Test func hostileTextIsEscapedAndNeverRaw() throws {
        let hostile = Workflow(name: hostileText, description: hostileText + "\u{1B}[31m", steps: [
            Step(id: "x<y>", name: hostileText + "\u{0}\u{7}\u{202E}", run: "true"),
            Step(id: "q\"'&", run: "true", needs: ["x<y>"]),
        ])
        for format in [GraphFormat.svg, .html] {
            let output = WorkflowGraphExporter.render(hostile, format: format, states: ["x<y>": .failed])
            #expect(!output.contains("<script>"), "\(format)")
            #expect(!output.contains("x<y>"), "\(format)")
            #expect(!output.contains("q\"'&"), "\(format)")
            #expect(output.contains("&lt;script&gt;&amp;&quot;&#39;"), "\(format)")
            #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "\(format)")
            #expect(!output.contains("\u{202E}"), "\(format)")
        }
        let document = try ParsedXML(WorkflowGraphExporter.render(hostile, format: .svg))
        #expect(document.elements.first { $0.name == "title" }?.text == hostileText)
        let lines = try document.descendants(of: document.step(0), named: "text").map(\.text)
        #expect(lines == ["x<y>", hostileText])
        #expect(try document.descendants(of: document.step(1), named: "text").map(\.text) == ["q\"'&"])
    }

    @Test func longNamesAreCutSoEveryNodeKeepsItsWidth() throws {
        let longID = String(repeating: "i", count: 60)
        let longName = "Deploy the application to every production region & verify"
        let workflow = Workflow(name: String(repeating: "W", count: 500), steps: [
            Step(id: longID, name: longName, run: "true"),
            Step(id: "short", run: "true", needs: [longID]),
        ])
        let svg = WorkflowGraphExporter.render(workflow, format: .svg)
        let document = try ParsedXML(svg)
        let lines = try document.descendants(of: document.step(0), named: "text").map(\.text)
        #expect(lines.count == 2)
        #expect(lines[0] == String(repeating: "i", count: WorkflowGraphExporter.svgIDLimit - 1) + "…")
        #expect(lines[1].hasSuffix("…") && lines[1].count <= WorkflowGraphExporter.svgNameLimit)
        #expect(longName.hasPrefix(lines[1].dropLast()))
        let widths = document.steps.map { document.descendants(of: $0, named: "rect").first?.attributes["width"] }
        #expect(widths == ["\(SVGGraphLayout.nodeWidth)", "\(SVGGraphLayout.nodeWidth)"])
        // The title is cut too, so a huge name cannot make a huge canvas; the tooltip keeps it whole.
        let title = try #require(document.elements.first { $0.name == "text" }?.text)
        #expect(title.count == WorkflowGraphExporter.svgTitleLimit && title.hasSuffix("…"))
        #expect(try document.descendants(of: document.step(0), named: "title").first?.text == longID + " — " + longName)
    }

    // MARK: States

    @Test func statesFillTheNodesAndMakeALegend() throws {
        let document = try ParsedXML(WorkflowGraphExporter.render(diamond, format: .svg, states: diamondStates))
        let fills = document.steps.map { document.descendants(of: $0, named: "rect").first?.attributes["fill"] }
        #expect(fills == ["#3FA34D", "#3FA34D", "#D64541", "#555555"])
        let lintLines = try document.descendants(of: document.step(2), named: "text").map(\.text)
        #expect(lintLines == ["lint", "failed"])
        #expect(try document.descendants(of: document.step(2), named: "g").first?.attributes["fill"] == "#FFFFFF")

        let legend = try #require(document.elements.first { $0.attributes["class"] == "legend" })
        #expect(document.descendants(of: legend, named: "text").map(\.text) == ["succeeded 2", "failed 1", "blocked 1"])
        #expect(document.descendants(of: legend, named: "rect").map { $0.attributes["fill"] } == ["#3FA34D", "#D64541", "#555555"])
    }

    @Test func withoutStatesThereIsNoLegendAndNodesAreWhite() throws {
        let document = try ParsedXML(WorkflowGraphExporter.render(diamond, format: .svg, states: ["ghost": .failed]))
        #expect(!document.elements.contains { $0.attributes["class"] == "legend" })
        let fills = Set(document.steps.compactMap { document.descendants(of: $0, named: "rect").first?.attributes["fill"] })
        #expect(fills == ["#FFFFFF"])
        #expect(document.steps.allSatisfy { document.descendants(of: $0, named: "text").count <= 2 })
    }

    // MARK: Scale

    @Test func aThousandStepsRenderCompletely() throws {
        let count = 1_000
        let steps = (0..<count).map { index in
            Step(id: "s\(index)", run: "true", needs: index == 0 ? [] : ["s\((index - 1) / 2)", "s\(index / 3)"])
        }
        let workflow = Workflow(name: "big", steps: steps)
        let states = Dictionary(uniqueKeysWithValues: (0..<count).map { ("s\($0)", $0 % 2 == 0 ? StepState.succeeded : .running) })
        let document = try ParsedXML(WorkflowGraphExporter.render(workflow, format: .svg, states: states))
        #expect(document.steps.count == count)
        let edges = ExportGraph(workflow, states: [:]).needs.reduce(0) { $0 + $1.count }
        #expect(document.edges.count == edges)
    }

    // MARK: HTML

    @Test func htmlIsAFullDocumentWithTheSVGAndEscapedTitle() throws {
        let workflow = Workflow(name: "Deploy " + hostileText, description: diamond.description, steps: diamond.steps)
        let html = WorkflowGraphExporter.render(workflow, format: .html, states: diamondStates)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"))
        #expect(html.hasSuffix("</body>\n</html>\n"))
        #expect(html.contains("<title>Deploy &lt;script&gt;&amp;&quot;&#39;</title>"))
        #expect(html.contains("<h1>Deploy &lt;script&gt;&amp;&quot;&#39;</h1>"))
        #expect(html.contains("<p class=\"description\">Build once,\ntest twice &amp; ship.</p>"))
        #expect(html.contains("<li><span class=\"swatch\" style=\"background: #D64541\"></span>failed 1</li>"))
        #expect(!html.contains("<script"))
        for reference in ["src=", "href=", "<link", "@import", "<script"] {
            #expect(!html.contains(reference), "the page fetches nothing: \(reference)")
        }

        let start = try #require(html.range(of: "<svg "))
        let end = try #require(html.range(of: "</svg>\n"))
        let document = try ParsedXML(String(html[start.lowerBound..<end.upperBound]))
        #expect(document.steps.count == workflow.steps.count)
        #expect(document.edges.count == 4)
        #expect(!html.contains("<?xml"))
    }

    @Test func formatsParseFromTheirNames() {
        #expect(GraphFormat(rawValue: "svg") == .svg)
        #expect(GraphFormat(rawValue: "html") == .html)
        #expect(GraphFormat.allCases.contains(.svg) && GraphFormat.allCases.contains(.html))
    }

    // MARK: Escaping helpers

    @Test func xmlEscapingDropsControlsAndCutsCharacters() {
        #expect(GraphEscaping.xml("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        #expect(GraphEscaping.xml("one\r\ntwo\tthree\u{1B}\u{7F}\u{85}\u{FFFE}") == "one two three")
        #expect(GraphEscaping.xml("one\r\ntwo\rthree", keepingLineBreaks: true) == "one\ntwo\nthree")
        #expect(GraphEscaping.xml("<<<<<<", limit: 4) == "&lt;&lt;&lt;…")
        #expect(GraphEscaping.xml("naïve café", limit: 10) == "naïve café")
        #expect(GraphEscaping.truncated("ab cdef", to: 4) == "ab…")
        #expect(GraphEscaping.truncated("👩‍👩‍👧‍👦👩‍👩‍👧‍👦👩‍👩‍👧‍👦", to: 2) == "👩‍👩‍👧‍👦…")
    }
}

/// An XML document read with `XMLParser`: its elements in document order with their
/// attributes, text and ancestors. Throws when the parser reports an error.
private struct ParsedXML {
    struct Element {
        /// This element's place in `elements`.
        var position: Int
        var name: String
        var attributes: [String: String]
        var text = ""
        /// Positions in `elements` of the enclosing elements, outermost first.
        var ancestors: [Int]

        /// The `translate(x,y)` of a step's group, as whole pixels.
        var origin: (x: Int, y: Int)? {
            guard let transform = attributes["transform"], transform.hasPrefix("translate("), transform.hasSuffix(")") else { return nil }
            let numbers = transform.dropFirst("translate(".count).dropLast().split(separator: ",").compactMap { Int($0) }
            return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
        }
    }

    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    let elements: [Element]

    init(_ xml: String) throws {
        let collector = Collector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        guard parser.parse() else {
            throw ParseError(description: "line \(parser.lineNumber): \(String(describing: parser.parserError))")
        }
        elements = collector.elements
    }

    /// The step groups, in document order.
    var steps: [Element] { elements.filter { $0.name == "g" && $0.attributes["class"] == "step" } }

    /// The edge paths, in document order.
    var edges: [Element] { elements.filter { $0.name == "path" && $0.attributes["class"] == "edge" } }

    /// The group drawing the step at `position` in the workflow.
    func step(_ position: Int) throws -> Element {
        guard let step = elements.first(where: { $0.name == "g" && $0.attributes["id"] == "baton-step-\(position)" }) else {
            throw ParseError(description: "no node for step \(position)")
        }
        return step
    }

    /// The elements called `name` inside `element`, in document order.
    func descendants(of element: Element, named name: String) -> [Element] {
        elements[(element.position + 1)...].prefix { $0.ancestors.contains(element.position) }.filter { $0.name == name }
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        private var open: [Int] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
        ) {
            elements.append(Element(position: elements.count, name: elementName, attributes: attributeDict, ancestors: open))
            open.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            open.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let current = open.last { elements[current].text += string }
        }
    }
}
