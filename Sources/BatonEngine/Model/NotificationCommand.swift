/// A command of the workflow's `notify:`: a shell command Baton runs, outside the run's
/// steps, on the events it names, with the event as JSON on its stdin.
public struct NotificationCommand: Sendable, Hashable {
    /// How long a command may take when `timeout:` says nothing.
    public static let defaultTimeout: Duration = .seconds(10)

    /// The shell text handed to `/bin/sh -c`.
    public var run: String
    /// The events it is run on, in the order of `NotificationEvent.allCases`.
    public var events: [NotificationEvent]
    /// How long one attempt may take before its process group is killed.
    public var timeout: Duration
    /// How often to run it for one event when it fails, and how long to wait between
    /// attempts: a step's `retry:`. One attempt by default.
    public var retry: RetryPolicy

    public init(
        run: String, events: [NotificationEvent] = NotificationEvent.allCases, timeout: Duration = Self.defaultTimeout,
        retry: RetryPolicy = .none
    ) {
        self.run = run
        self.events = NotificationEvent.allCases.filter { events.contains($0) }
        self.timeout = timeout
        self.retry = retry
    }
}
