import BatonTestSupport
import Foundation

/// A workflow file whose steps start process trees that try to outlive being stopped, and
/// a variable unique to it that every process of those trees carries in its environment.
///
/// The steps are the trees of `StubbornProcessTree`: `ignores-term`,
/// whose shell and everything it starts ignore SIGTERM; `children-linger`, whose shell dies
/// of SIGTERM while its children ignore it and keep its output pipes; both have `sleep`
/// grandchildren and children that call `setsid`, leaving the step's process group.
struct StubbornWorkflow {
    /// The workflow file.
    let path: String
    /// The `KEY=value` environment entry that marks the steps' processes.
    let marker: String
    /// How many processes the steps have once everything is started.
    let processCount = StubbornProcessTree.allCases.map(\.processCount).reduce(0, +)

    /// Writes the workflow into `directory`.
    init(in directory: String) throws {
        let value = UUID().uuidString
        marker = "BATON_ORPHAN_TEST=\(value)"
        path = directory + "/stubborn.yaml"
        func block(_ tree: StubbornProcessTree) -> String {
            tree.command.split(separator: "\n").map { "          " + $0 }.joined(separator: "\n")
        }
        let text = """
            name: stubborn
            concurrency: 2
            env:
              BATON_ORPHAN_TEST: \(value)
            steps:
              ignores-term:
                run: |
            \(block(.shellIgnoresTerm))
              children-linger:
                run: |
            \(block(.childrenIgnoreTerm))

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
