import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The graph pane at 1,000 and 10,000 steps: the layered graph of the selection's
/// neighbourhood in place of the compact list, its moves, its marks and its clicks.
@Suite struct GraphNeighbourhoodTests {
    typealias M = MouseRoutingTests

    /// Layers of 20 steps, each after the first needing two of the layer before (as the
    /// benchmark's synthetic run): `s025_10` needs `s024_10` and `s024_11`.
    static func synthetic(steps count: Int) -> Workflow {
        func id(_ layer: Int, _ index: Int) -> String {
            "s" + String(repeating: "0", count: 3 - String(layer).count) + "\(layer)_" + (index < 10 ? "0" : "") + "\(index)"
        }
        return Workflow(name: "synthetic-\(count)", steps: (0..<count).map { position in
            let layer = position / 20, index = position % 20
            return Step(id: id(layer, index), run: "true", needs: layer == 0 ? [] : [id(layer - 1, index), id(layer - 1, (index + 1) % 20)])
        })
    }

    static let thousand = synthetic(steps: 1_000)
    static let thousandContext = ConsoleContext(workflow: thousand)
    static let tenThousand = synthetic(steps: 10_000)
    static let tenThousandContext = ConsoleContext(workflow: tenThousand)

    /// A console on `workflow` at 140×40 with `selected` selected, as the runner starts it.
    static func state(_ workflow: Workflow, context: ConsoleContext, selecting id: String) -> AppState {
        var state = AppState(workflow: workflow, user: "alice", width: 140, height: 40, now: 1_000_100)
        state.graphNaturalSize = context.shownGraph(state).size
        ConsoleUpdate.select(workflow.position(of: id)!, in: &state, context: context)
        return state
    }

    static func screen(_ state: AppState, context: ConsoleContext, unicode: Bool = true) -> [String] {
        ConsoleView.render(state, context: context, theme: .builtInDark, unicode: unicode).lines
    }

    /// The graph pane's rows.
    static func graphRows(_ state: AppState, context: ConsoleContext, unicode: Bool = true) -> [String] {
        let rect = ConsoleLayout(state).graph
        return screen(state, context: context, unicode: unicode)[rect.y..<rect.maxY].map { String($0.dropFirst(rect.x).prefix(rect.width)) }
    }

    @Test(arguments: [1_000, 10_000])
    func aGraphWiderThanThePaneDrawsTheSelectionsNeighbourhood(steps: Int) throws {
        let (workflow, context) = steps == 1_000 ? (Self.thousand, Self.thousandContext) : (Self.tenThousand, Self.tenThousandContext)
        let state = Self.state(workflow, context: context, selecting: "s025_10")
        #expect(!ConsoleUpdate.isCompact(state, context: context))
        let neighbourhood = try #require(context.neighbourhood(state))
        #expect(neighbourhood.layers.count >= 3 && neighbourhood.layers.contains(25))
        let rows = Self.graphRows(state, context: context)
        let text = rows.joined(separator: "\n")
        #expect(rows[0].contains("neighbourhood of 's025_10', layers \(neighbourhood.layers.lowerBound + 1)–\(neighbourhood.layers.upperBound + 1) of \(steps / 20)"), "\(rows[0])")
        #expect(!text.contains("(compact)"))
        for id in ["s025_10", "s024_10", "s024_11", "s026_10", "s026_09"] {
            #expect(text.contains(id), "\(id) is not drawn:\n\(text)")
        }
        #expect(text.contains("─") && text.contains("›"), "edges are drawn:\n\(text)")
        #expect(text.contains("above") || text.contains("below"), "rows left out are counted:\n\(text)")
        #expect(neighbourhood.hiddenAbove.reduce(0, +) + neighbourhood.hiddenBelow.reduce(0, +) > 0)
        #expect(text.contains("‹+") || text.contains("›"), "links left out are marked:\n\(text)")
        // Columns at the window's edges have needs or dependents outside it.
        #expect(neighbourhood.hiddenNeeds.contains { $0 > 0 } && neighbourhood.hiddenDependents.contains { $0 > 0 })
        // Nothing spills past the pane.
        #expect(neighbourhood.layout.size.width <= ConsoleLayout(state).inner(.graph).width)
        // Every node keeps its layer's column, a node whose needs were all cut included.
        for (index, node) in neighbourhood.shownNode.enumerated() {
            #expect(neighbourhood.layout.column(of: index) == context.graph.column(of: node)! - neighbourhood.layers.lowerBound)
        }
    }

    @Test func aNeighbourhoodTakesTheWholeTopRowAndShowsMoreLayers() throws {
        let state = Self.state(Self.thousand, context: Self.thousandContext, selecting: "s003_00")
        let layout = ConsoleLayout(state)
        #expect(layout.graph.width == 140, "the graph takes the whole row; Details moves down")
        #expect(layout.details.y > layout.graph.y)
        let title = try #require(Self.graphRows(state, context: Self.thousandContext).first)
        let layers = try #require(title.firstMatch(of: /layers (\d+)–(\d+)/))
        #expect(Int(layers.2)! - Int(layers.1)! + 1 >= 4, "\(title)")
        // Below 100 columns the graph keeps its place beside Details.
        var narrow = state
        narrow.width = 90
        #expect(ConsoleLayout(narrow).graph.width < 90)
    }

    @Test func theSmallestTerminalDrawsTheNeighbourhoodOrTheList() {
        let context = Self.thousandContext
        for (width, height) in [(60, 16), (80, 24), (100, 30)] {
            var state = AppState(workflow: Self.thousand, user: "alice", width: width, height: height, now: 1_000_100)
            state.graphNaturalSize = context.shownGraph(state).size
            ConsoleUpdate.select(Self.thousand.position(of: "s025_10")!, in: &state, context: context)
            let rows = Self.graphRows(state, context: context)
            #expect(rows.joined().contains("s025_10"), "at \(width)×\(height):\n\(rows.joined(separator: "\n"))")
            if let neighbourhood = context.neighbourhood(state) {
                #expect(neighbourhood.layout.size.width <= ConsoleLayout(state).inner(.graph).width)
            } else {
                #expect(ConsoleUpdate.isCompact(state, context: context))
            }
        }
    }

    @Test func asciiMarksWithoutUnicode() {
        let state = Self.state(Self.thousand, context: Self.thousandContext, selecting: "s025_10")
        let text = Self.graphRows(state, context: Self.thousandContext, unicode: false).joined(separator: "\n")
        #expect(text.contains("s025_10") && text.contains("+6 below"), "\(text)")
        #expect(!text.contains("‹") && !text.contains("─"), "\(text)")
    }

    @Test func movingTheSelectionRecentresTheNeighbourhood() throws {
        let context = Self.thousandContext
        var state = Self.state(Self.thousand, context: context, selecting: "s025_10")
        let before = try #require(context.neighbourhood(state))
        _ = ConsoleUpdate.update(&state, .key(.character("l")), context: context)
        let selected = try #require(state.selectedStep?.id)
        #expect(["s026_10", "s026_09"].contains(selected))
        let after = try #require(context.neighbourhood(state))
        #expect(after.centre == state.selected)
        #expect(after.layers.lowerBound == before.layers.lowerBound + 1)
        #expect(Self.graphRows(state, context: context)[0].contains("neighbourhood of '\(selected)'"))
        // ↓ stays in the layer.
        _ = ConsoleUpdate.update(&state, .key(.character("j")), context: context)
        #expect(state.selectedStep?.id.hasPrefix("s026_") == true)
    }

    @Test func pageDownAndPageUpMoveByTheNeighbourhoodsStep() throws {
        let context = Self.thousandContext
        var state = Self.state(Self.thousand, context: context, selecting: "s025_10")
        let step = try #require(context.neighbourhood(state)).layerStep
        #expect(step >= 1)
        _ = ConsoleUpdate.update(&state, .key(.pageDown), context: context)
        #expect(context.graph.column(of: state.selected) == 25 + step)
        _ = ConsoleUpdate.update(&state, .key(.pageUp), context: context)
        _ = ConsoleUpdate.update(&state, .key(.pageUp), context: context)
        #expect(context.graph.column(of: state.selected) == 25 - step)
    }

    @Test func mSwitchesToTheCompactListAndBack() {
        let context = Self.thousandContext
        var state = Self.state(Self.thousand, context: context, selecting: "s025_10")
        _ = ConsoleUpdate.update(&state, .key(.character("m")), context: context)
        #expect(ConsoleUpdate.isCompact(state, context: context) && context.neighbourhood(state) == nil)
        #expect(Self.graphRows(state, context: context)[0].contains("(compact)"))
        _ = ConsoleUpdate.update(&state, .key(.character("m")), context: context)
        #expect(!ConsoleUpdate.isCompact(state, context: context) && context.neighbourhood(state) != nil)
        #expect(state.status?.text.contains("neighbourhood") == true)
    }

    @Test func aClickOnANeighbourhoodNodeSelectsItsStep() throws {
        let context = Self.thousandContext
        var state = Self.state(Self.thousand, context: context, selecting: "s025_10")
        state.focus = .steps
        let inner = ConsoleLayout(state).inner(.graph)
        _ = try M.click(on: "s026_10", in: inner, &state, context: context)
        #expect(state.selectedStep?.id == "s026_10")
        #expect(state.focus == .graph)
        #expect(context.neighbourhood(state)?.centre == state.selected)
    }

    @Test func theNeighbourhoodIsLaidOutOncePerSelection() {
        let context = ConsoleContext(workflow: Self.thousand)
        var state = Self.state(Self.thousand, context: context, selecting: "s025_10")
        let made = context.neighbourhoods.made
        _ = Self.screen(state, context: context)
        _ = ConsoleUpdate.update(&state, .key(.character("k")), context: context)
        _ = Self.screen(state, context: context)
        _ = Self.screen(state, context: context)
        #expect(context.neighbourhoods.made == made + 1)
    }

    /// Each layer one fan-out group of 20: collapsed, a chain of 50 group nodes, too wide too.
    @Test func collapsedGroupsShowTheNeighbourhoodOfTheGroupsGraph() throws {
        var steps = Self.thousand.steps
        for index in steps.indices { steps[index].group = "layer\(index / 20)" }
        let workflow = Workflow(name: "grouped", steps: steps)
        let context = ConsoleContext(workflow: workflow)
        var state = Self.state(workflow, context: context, selecting: "s025_10")
        let groups = try #require(context.shownGroups(state))
        let neighbourhood = try #require(context.neighbourhood(state))
        #expect(neighbourhood.centre == groups.nodeOfStep[state.selected])
        let text = Self.graphRows(state, context: context).joined(separator: "\n")
        #expect(text.contains("layer25") && text.contains("layer24") && text.contains("layer26"), "\(text)")
        // A click on a group's node selects its first instance.
        state.focus = .steps
        _ = try M.click(on: "layer26", in: ConsoleLayout(state).inner(.graph), &state, context: context)
        #expect(state.selectedStep?.id == "s026_00")
    }
}
