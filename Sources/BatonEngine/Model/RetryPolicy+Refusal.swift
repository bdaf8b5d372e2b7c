/// Why a failure is not retried though attempts remain: the limits `retry:` puts on retries
/// beyond the number of attempts, `on_exit_codes` and `max_duration`. Steps and
/// notification commands share them.
extension RetryPolicy {
    /// Why a failure with `exitCode` (nil when there is none) is not retried, or nil if it is.
    /// - Parameter elapsed: the seconds from the series' first start to when the next attempt
    ///   would start; nil when the first start is not known.
    func refusal(exitCode: Int32?, nextStartAfterFirst elapsed: Double?) -> String? {
        if !retries(exitCode: exitCode), let codes = onExitCodes {
            let list = "[" + codes.map(String.init).joined(separator: ", ") + "]"
            guard let exitCode else {
                return "not retried: it has no exit code, and retry.on_exit_codes \(list) retries only those"
            }
            return "not retried: exit \(exitCode) is not in retry.on_exit_codes \(list)"
        }
        if let limit = maxDuration, let elapsed, !(elapsed < limit.inSeconds) {
            return "not retried: the next attempt would start \(Engine.describe(seconds: elapsed)) after the first, and retry.max_duration is \(Engine.describe(limit))"
        }
        return nil
    }
}
