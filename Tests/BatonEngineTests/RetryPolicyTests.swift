import Testing
@testable import BatonEngine

/// `retry:` as the loader reads it, and the waits and choices of the policy it makes.
@Suite struct RetryPolicyTests {
    private func problems(_ yaml: String) -> [String] {
        do {
            _ = try WorkflowLoader.load(yaml: yaml, file: "wf.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    // MARK: Loading

    @Test func readsFactorExitCodesAndMaxDuration() throws {
        let workflow = try WorkflowLoader.load(yaml: """
            steps:
              a:
                run: x
                retry:
                  attempts: 5
                  backoff: 2s
                  factor: 1.5
                  on_exit_codes: [75, 111]
                  max_duration: 10m
              b:
                run: y
                retry: {attempts: 2, on_exit_codes: 75, factor: 1}
              c:
                run: z
                retry: 3
            """, file: "wf.yaml")
        #expect(workflow["a"]?.retry == RetryPolicy(
            attempts: 5, backoff: .seconds(2), factor: 1.5, onExitCodes: [75, 111], maxDuration: .seconds(600)))
        #expect(workflow["b"]?.retry == RetryPolicy(attempts: 2, factor: 1, onExitCodes: [75]))
        #expect(workflow["c"]?.retry == RetryPolicy(attempts: 3, factor: 2, onExitCodes: nil, maxDuration: nil))
    }

    @Test func refusesBadValuesWhereTheyAre() {
        let found = problems("""
            steps:
              a:
                run: x
                retry:
                  attempts: 3
                  factor: 0.5
                  on_exit_codes: [0, 75, 256, 75, abc, -1]
                  max_duration: 0s
              b:
                run: y
                retry: {attempts: 2, factor: .inf, on_exit_codes: []}
              c:
                run: z
                retry: {attempts: 2, factor: fast, on_exit_codes: {a: 1}, max_duration: soon}
              d:
                run: z
                retry: {attempts: 2, factor: 1e3, on_exit_codes: [1, ~]}
            """)
        #expect(found == [
            "wf.yaml:6:15: 'retry.factor' in step 'a' must be a number of 1 or more, such as 1.5 or 2; '0.5' would shrink each wait",
            "wf.yaml:7:23: 'retry.on_exit_codes' in step 'a' cannot hold 0: exit 0 is a success, which is never retried",
            "wf.yaml:7:30: 'retry.on_exit_codes' in step 'a' must be a list of exit codes from 1 to 255, not '256'",
            "wf.yaml:7:35: 'retry.on_exit_codes' in step 'a' lists 75 twice",
            "wf.yaml:7:39: 'retry.on_exit_codes' in step 'a' must be a list of exit codes from 1 to 255, not 'abc'",
            "wf.yaml:7:44: 'retry.on_exit_codes' in step 'a' must be a list of exit codes from 1 to 255; '-1' is negative",
            "wf.yaml:8:21: 'retry.max_duration' in step 'a' must be longer than zero",
            "wf.yaml:11:34: 'retry.factor' in step 'b' must be a number of 1 or more, such as 1.5 or 2, not '.inf'",
            "wf.yaml:11:55: 'retry.on_exit_codes' in step 'b' is empty; list the exit codes to retry, or leave it out to retry every failure",
            "wf.yaml:14:34: 'retry.factor' in step 'c' must be a number of 1 or more, such as 1.5 or 2, not 'fast'",
            "wf.yaml:14:55: 'retry.on_exit_codes' in step 'c' must be a list of exit codes from 1 to 255, such as [75, 111], not a mapping",
            "wf.yaml:14:77: 'retry.max_duration' in step 'c': 'soon' is not a duration; write e.g. 500ms, 30s, 5m, 1h",
            "wf.yaml:17:34: 'retry.factor' in step 'd' must be a number of 1 or more, such as 1.5 or 2, not '1e3'",
            "wf.yaml:17:58: 'retry.on_exit_codes' in step 'd' has an empty entry; write an exit code from 1 to 255",
        ])
    }

    @Test func unknownRetryKeysGetADidYouMean() {
        let found = problems("""
            steps:
              a:
                run: x
                retry: {attempts: 2, on_exit_code: [75], max_duraton: 1m, factr: 3, retry_on: [1]}
            """)
        #expect(found == [
            "wf.yaml:4:26: unknown key 'on_exit_code' in the retry of step 'a'; did you mean 'on_exit_codes'?",
            "wf.yaml:4:46: unknown key 'max_duraton' in the retry of step 'a'; did you mean 'max_duration'?",
            "wf.yaml:4:63: unknown key 'factr' in the retry of step 'a'; did you mean 'factor'?",
            "wf.yaml:4:73: unknown key 'retry_on' in the retry of step 'a'; allowed keys are 'attempts', 'backoff', 'max_backoff', 'factor', 'on_exit_codes', 'max_duration'",
        ])
    }

    // MARK: The policy

    @Test func eachWaitIsTheLastTimesTheFactor() {
        let doubling = RetryPolicy(attempts: 5, backoff: .seconds(1))
        #expect((1...4).map(doubling.delay(afterAttempt:)) == [.seconds(1), .seconds(2), .seconds(4), .seconds(8)])
        let gentle = RetryPolicy(attempts: 5, backoff: .seconds(2), factor: 1.5)
        #expect((1...4).map(gentle.delay(afterAttempt:)) == [.seconds(2), .seconds(3), .milliseconds(4500), .milliseconds(6750)])
        let fixed = RetryPolicy(attempts: 5, backoff: .milliseconds(250), factor: 1)
        #expect((1...4).map(fixed.delay(afterAttempt:)) == Array(repeating: .milliseconds(250), count: 4))
        let capped = RetryPolicy(attempts: 9, backoff: .seconds(1), maxBackoff: .seconds(5), factor: 3)
        #expect((1...4).map(capped.delay(afterAttempt:)) == [.seconds(1), .seconds(3), .seconds(5), .seconds(5)])
    }

    @Test func aLongSeriesNeverOverflows() {
        let policy = RetryPolicy(attempts: .max, backoff: .seconds(1), factor: 10)
        #expect(policy.delay(afterAttempt: 10_000) == RetryPolicy.longestDelay)
        #expect(policy.delay(afterAttempt: .max) == RetryPolicy.longestDelay)
        let capped = RetryPolicy(attempts: .max, backoff: .seconds(1), maxBackoff: .seconds(60), factor: 10)
        #expect(capped.delay(afterAttempt: 10_000) == .seconds(60))
        let immediate = RetryPolicy(attempts: .max, backoff: .zero, maxBackoff: .seconds(60))
        #expect(immediate.delay(afterAttempt: 10_000) == .zero)
    }

    @Test func onExitCodesChoosesWhatIsRetried() {
        let any = RetryPolicy(attempts: 3)
        #expect(any.retries(exitCode: 1) && any.retries(exitCode: 137) && any.retries(exitCode: nil))
        let listed = RetryPolicy(attempts: 3, onExitCodes: [75, 111])
        #expect(listed.retries(exitCode: 75) && listed.retries(exitCode: 111))
        #expect(!listed.retries(exitCode: 1))
        #expect(!listed.retries(exitCode: 0))
        #expect(!listed.retries(exitCode: nil))
    }
}
