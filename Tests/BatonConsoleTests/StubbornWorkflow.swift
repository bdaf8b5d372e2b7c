import Foundation

/// A workflow file whose steps start process trees that try to outlive being stopped, and
/// a variable unique to it that every process of those trees carries in its environment.
///
/// The steps (the same trees as the engine tests' `StubbornProcessTree`): `ignores-term`,
/// whose shell and everything it starts ignore SIGTERM; `children-linger`, whose shell dies
/// of SIGTERM while its children ignore it and keep its output pipes; both have `sleep`
/// grandchildren and children that call `setsid`, leaving the step's process group.
struct StubbornWorkflow {
    /// The workflow file.
    let path: String
    /// The `KEY=value` environment entry that marks the steps' processes.
    let marker: String
    /// How many processes the steps have once everything is started.
    let processCount = 9 + 8

    /// Writes the workflow into `directory`.
    init(in directory: String) throws {
        let value = UUID().uuidString
        marker = "BATON_ORPHAN_TEST=\(value)"
        path = directory + "/stubborn.yaml"
        let text = """
            name: stubborn
            concurrency: 2
            env:
              BATON_ORPHAN_TEST: \(value)
            steps:
              ignores-term:
                run: |
                  trap '' TERM
                  sleep 300 &
                  sh -c 'sleep 300 & wait' &
                  (sleep 300 & wait) &
                  setsid sleep 300 &
                  setsid sh -c 'sleep 300 & wait' &
                  echo ready
                  wait
              children-linger:
                run: |
                  sh -c "trap '' TERM; sleep 300" &
                  (trap '' TERM; sleep 300 & wait) &
                  setsid sh -c "trap '' TERM; sleep 300" &
                  sleep 300 &
                  echo ready
                  wait

            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
