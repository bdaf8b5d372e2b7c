import Testing
@testable import BatonEngine

@Suite struct WorkflowGraphExporterTests {
    private static let lintCondition = Condition(
        source: "steps.build.outputs.lint == 'yes'", expression: .equal(.output(step: "build", key: "lint"), .literal("yes")))

    /// build → unit, lint → release; `unit` has a name, `lint` a condition, `release` is a gate.
    private let diamond = Workflow(name: "diamond", steps: [
        Step(id: "build", run: "make"),
        Step(id: "unit", name: "Unit tests", run: "make test", needs: ["build"]),
        Step(id: "lint", run: "make lint", needs: ["build"], when: lintCondition),
        Step(id: "release", needs: ["unit", "lint"], approval: ApprovalGate(prompt: "Ship?")),
    ])

    private let diamondStates: [String: StepState] = [
        "build": .succeeded, "unit": .failed, "lint": .skipped, "release": .blocked,
    ]

    private func ids(_ layers: [[Int]], in workflow: Workflow) -> [[String]] {
        layers.map { $0.map { workflow.steps[$0].id } }
    }

    // MARK: Exact output for a diamond

    @Test func textListsTheDiamondByLayer() {
        let text = WorkflowGraphExporter.render(diamond, format: .text)
        #expect(text == """
            diamond — 4 steps in 3 layers
            layer 1
              build
            layer 2
              unit     "Unit tests"  ← build
              lint     ← build  [when]
            layer 3
              release  ← unit, lint  [gate]

            """)
    }

    @Test func textShowsStatesInAColumnAndSumsThem() {
        let text = WorkflowGraphExporter.render(diamond, format: .text, states: diamondStates)
        #expect(text == """
            diamond — 4 steps in 3 layers
            states  1 succeeded, 1 failed, 1 skipped, 1 blocked
            layer 1
              build    ✔ succeeded
            layer 2
              unit     ✘ failed     "Unit tests"  ← build
              lint     ⤼ skipped    ← build  [when]
            layer 3
              release  ⊘ blocked    ← unit, lint  [gate]

            """)
    }

    @Test func dotDrawsTheDiamond() {
        let dot = WorkflowGraphExporter.render(diamond, format: .dot)
        #expect(dot == #"""
            digraph "diamond" {
              rankdir=LR;
              node [shape=box, style=rounded];
              "build" [label="build"];
              "unit" [label="Unit tests\n(unit)"];
              "lint" [label="lint", style="rounded,dashed"];
              "release" [label="release", shape=hexagon];
              "build" -> "unit";
              "build" -> "lint";
              "unit" -> "release";
              "lint" -> "release";
            }

            """#)
    }

    @Test func mermaidDrawsTheDiamond() {
        let mermaid = WorkflowGraphExporter.render(diamond, format: .mermaid)
        #expect(mermaid == """
            flowchart LR
              build["build"]
              unit["Unit tests<br/>(unit)"]
              lint["lint"]
              release{"release"}
              build --> unit
              build --> lint
              unit --> release
              lint --> release
              classDef conditional stroke-dasharray:5 5
              class lint conditional

            """)
    }

    // MARK: State colouring

    @Test func dotFillsNodesWithTheColourOfTheirState() {
        let dot = WorkflowGraphExporter.render(diamond, format: .dot, states: diamondStates)
        let nodes = dot.split(separator: "\n").filter { $0.contains("[label=") }.map(String.init)
        #expect(nodes == [
            ##"  "build" [label="build\nsucceeded", style="rounded,filled", fillcolor="#3FA34D", fontcolor="#FFFFFF"];"##,
            ##"  "unit" [label="Unit tests\n(unit)\nfailed", style="rounded,filled", fillcolor="#D64541", fontcolor="#FFFFFF"];"##,
            ##"  "lint" [label="lint\nskipped", style="rounded,filled,dashed", fillcolor="#BDBDBD", fontcolor="#000000"];"##,
            ##"  "release" [label="release\nblocked", shape=hexagon, style="rounded,filled", fillcolor="#555555", fontcolor="#FFFFFF"];"##,
        ])
    }

    @Test func mermaidDefinesAClassPerStateInUse() {
        let mermaid = WorkflowGraphExporter.render(diamond, format: .mermaid, states: [
            "build": .succeeded, "unit": .succeeded, "lint": .running, "release": .waiting,
        ])
        #expect(mermaid.contains("  unit[\"Unit tests<br/>(unit)<br/>succeeded\"]\n"))
        #expect(mermaid.contains("  release{\"release<br/>waiting\"}\n"))
        let styling = mermaid.split(separator: "\n").filter { $0.contains("class") }.map(String.init)
        #expect(styling == [
            "  classDef waiting fill:#FFBF00,color:#000000",
            "  class release waiting",
            "  classDef running fill:#2F7ED8,color:#FFFFFF",
            "  class lint running",
            "  classDef succeeded fill:#3FA34D,color:#FFFFFF",
            "  class build,unit succeeded",
            "  classDef conditional stroke-dasharray:5 5",
            "  class lint conditional",
        ])
    }

    @Test func keyColoursMatchTheirStatesAndAreDistinct() {
        #expect(StateColour.of(.succeeded).fill == "#3FA34D")  // green
        #expect(StateColour.of(.failed).fill == "#D64541")  // red
        #expect(StateColour.of(.running).fill == "#2F7ED8")  // blue
        #expect(StateColour.of(.waiting).fill == "#FFBF00")  // amber
        #expect(StateColour.of(.skipped).fill == "#BDBDBD")  // grey
        #expect(StateColour.of(.blocked).fill == "#555555")  // dark grey
        let fills = Set(StepState.allCases.map { StateColour.of($0).fill })
        #expect(fills.count == StepState.allCases.count)
    }

    @Test func stepsWithoutAStateStayUnfilled() {
        let dot = WorkflowGraphExporter.render(diamond, format: .dot, states: ["unit": .running, "ghost": .failed])
        #expect(dot.contains(#"  "build" [label="build"];"#))
        #expect(dot.contains(##"  "unit" [label="Unit tests\n(unit)\nrunning", style="rounded,filled", fillcolor="#2F7ED8", fontcolor="#FFFFFF"];"##))
        #expect(!dot.contains("D64541"))
        let text = WorkflowGraphExporter.render(diamond, format: .text, states: ["unit": .running])
        #expect(text.contains("\nstates  1 running\n"))
        #expect(text.contains("\n  build\n"))
        #expect(text.contains("\n  unit     ▶ running  \"Unit tests\"  ← build\n"))
    }

    // MARK: Layers

    @Test func chainTakesOneLayerPerStep() {
        let chain = Workflow(name: "chain", steps: [
            Step(id: "c", run: "true", needs: ["b"]),
            Step(id: "a", run: "true"),
            Step(id: "b", run: "true", needs: ["a"]),
        ])
        #expect(ids(GraphLayers.assign(chain), in: chain) == [["a"], ["b"], ["c"]])
    }

    @Test func diamondTakesThreeLayers() {
        #expect(ids(GraphLayers.assign(diamond), in: diamond) == [["build"], ["unit", "lint"], ["release"]])
    }

    @Test func fanOutKeepsFileOrderWithinALayer() {
        let fan = Workflow(name: "fan", steps: [
            Step(id: "z", run: "true", needs: ["root"]),
            Step(id: "root", run: "true"),
            Step(id: "m", run: "true", needs: ["root"]),
            Step(id: "a", run: "true", needs: ["root"]),
            Step(id: "lone", run: "true"),
        ])
        #expect(GraphLayers.assign(fan) == [[1, 4], [0, 2, 3]])
    }

    @Test func layerFollowsTheLongestPathNotTheShortest() {
        let skip = Workflow(name: "skip", steps: [
            Step(id: "a", run: "true"),
            Step(id: "b", run: "true", needs: ["a"]),
            Step(id: "c", run: "true", needs: ["b"]),
            Step(id: "d", run: "true", needs: ["a", "c"]),
            Step(id: "e", run: "true", needs: ["a"]),
        ])
        #expect(ids(GraphLayers.assign(skip), in: skip) == [["a"], ["b", "e"], ["c"], ["d"]])
    }

    @Test func cyclesAndUnknownNeedsDoNotLoseSteps() {
        let broken = Workflow(name: "broken", steps: [
            Step(id: "a", run: "true", needs: ["nowhere"]),
            Step(id: "x", run: "true", needs: ["y"]),
            Step(id: "y", run: "true", needs: ["x"]),
            Step(id: "after", run: "true", needs: ["y"]),
            Step(id: "b", run: "true", needs: ["a", "a"]),
        ])
        #expect(ids(GraphLayers.assign(broken), in: broken) == [["a"], ["b"], ["x", "y", "after"]])
        let dot = WorkflowGraphExporter.render(broken, format: .dot)
        #expect(!dot.contains("nowhere"))
        #expect(dot.components(separatedBy: #""a" -> "b";"#).count == 2)  // the repeated need is drawn once
    }

    @Test func emptyWorkflowRendersInEveryFormat() {
        let empty = Workflow(name: "empty", steps: [])
        #expect(GraphLayers.assign(empty) == [])
        #expect(WorkflowGraphExporter.render(empty, format: .text) == "empty — 0 steps in 0 layers\n")
        #expect(WorkflowGraphExporter.render(empty, format: .dot) == "digraph \"empty\" {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n}\n")
        #expect(WorkflowGraphExporter.render(empty, format: .mermaid) == "flowchart LR\n")
    }

    @Test func singularCountsInTheHeader() {
        let one = Workflow(name: "one", steps: [Step(id: "only", run: "true")])
        #expect(WorkflowGraphExporter.render(one, format: .text) == "one — 1 step in 1 layer\nlayer 1\n  only\n")
    }

    // MARK: Escaping

    private let hostileName = "say \"hi\"\\n\nnext line <script>alert(1)</script> & #quot; `code`\u{1B}[31m"

    private var hostile: Workflow {
        Workflow(name: "evil \"flow\"\n}", steps: [
            Step(id: "root", name: hostileName, run: "true"),
            Step(id: "leaf", name: "\"]; evil -> x; [\"", run: "true", needs: ["root"]),
        ])
    }

    @Test func dotEscapesQuotesBackslashesAndNewlines() {
        let dot = WorkflowGraphExporter.render(hostile, format: .dot)
        #expect(dot == #"""
            digraph "evil \"flow\"\n}" {
              rankdir=LR;
              node [shape=box, style=rounded];
              "root" [label="say \"hi\"\\n\nnext line <script>alert(1)</script> & #quot; `code`[31m\n(root)"];
              "leaf" [label="\"]; evil -> x; [\"\n(leaf)"];
              "root" -> "leaf";
            }

            """#)
    }

    @Test func mermaidEscapesSpecialCharactersAsEntities() {
        let mermaid = WorkflowGraphExporter.render(hostile, format: .mermaid)
        #expect(mermaid == """
            flowchart LR
              root["say #quot;hi#quot;\\n<br/>next line #lt;script#gt;alert(1)#lt;/script#gt; #amp; #35;quot; #96;code#96;[31m<br/>(root)"]
              leaf["#quot;]; evil -#gt; x; [#quot;<br/>(leaf)"]
              root --> leaf

            """)
        #expect(!mermaid.contains("<script>"))
    }

    @Test func mermaidHidesTheDirectionKeywordInLabels() {
        let workflow = Workflow(name: "w", steps: [Step(id: "a", name: "set direction LR", run: "true")])
        #expect(WorkflowGraphExporter.render(workflow, format: .mermaid) == "flowchart LR\n  a[\"set directio#110; LR<br/>(a)\"]\n")
    }

    @Test func textMakesControlCharactersVisible() {
        let text = WorkflowGraphExporter.render(hostile, format: .text)
        #expect(text == """
            evil "flow"\\n} — 2 steps in 2 layers
            layer 1
              root  "say "hi"\\n\\nnext line <script>alert(1)</script> & #quot; `code`\\x1B[31m"
            layer 2
              leaf  ""]; evil -> x; [""  ← root

            """)
        #expect(!text.contains("\u{1B}"))
    }

    @Test func mermaidReplacesIDsItCannotReadWithPositions() {
        let workflow = Workflow(name: "ids", steps: [
            Step(id: "end", run: "true"),
            Step(id: "end-game", run: "true", needs: ["end"]),
            Step(id: "endpoint", run: "true", needs: ["end-game"]),
            Step(id: "a--b", run: "true", needs: ["endpoint"]),
            Step(id: "class-room", run: "true"),
            Step(id: "9lives", run: "true"),
            Step(id: "trailing-", run: "true"),
            Step(id: "deploy-app_2", run: "true", needs: ["a--b"]),
        ])
        #expect(WorkflowGraphExporter.render(workflow, format: .mermaid) == """
            flowchart LR
              _0["end"]
              _1["end-game"]
              endpoint["endpoint"]
              _3["a--b"]
              _4["class-room"]
              _5["9lives"]
              _6["trailing-"]
              deploy-app_2["deploy-app_2"]
              _0 --> _1
              _1 --> endpoint
              endpoint --> _3
              _3 --> deploy-app_2

            """)
    }

    @Test func formatsParseFromTheirNames() {
        #expect(GraphFormat.allCases.map(\.rawValue) == ["text", "dot", "mermaid", "svg", "html"])
        #expect(GraphFormat(rawValue: "mermaid") == .mermaid)
        #expect(GraphFormat(rawValue: "png") == nil)
    }

    // MARK: Scale

    @Test func tenThousandStepsRenderCompletely() {
        // A long chain and a wide fan-in: 10,000 steps each.
        let count = 10_000
        let chain = Workflow(name: "chain", steps: (0..<count).map { index in
            Step(id: "s\(index)", run: "true", needs: index == 0 ? [] : ["s\(index - 1)"])
        })
        let wide = Workflow(name: "wide", steps: (0..<count - 1).map { Step(id: "w\($0)", run: "true") }
            + [Step(id: "join", run: "true", needs: (0..<count - 1).map { "w\($0)" })])
        let states = Dictionary(uniqueKeysWithValues: (0..<count).map { ("s\($0)", StepState.succeeded) })

        #expect(GraphLayers.assign(chain).count == count)
        #expect(GraphLayers.assign(wide).map(\.count) == [count - 1, 1])
        for format in GraphFormat.allCases {
            let chainOutput = WorkflowGraphExporter.render(chain, format: format, states: states)
            let wideOutput = WorkflowGraphExporter.render(wide, format: format)
            #expect(chainOutput.contains("s9999"))
            #expect(wideOutput.contains("w9998"))
        }
    }
}
