import Foundation
import Testing
@testable import BatonEngine

/// A failed notification travels to attached terminals as a `notification_failed` line.
@Suite struct NotificationFailureLineTests {
    @Test func theHostWritesANotificationFailedLineThatAClientReadsBack() throws {
        let problem = "notification notify[1] on run_finished failed: exited 22; see /runs/r/notifications.log"
        let line = HostLines.line(for: .notificationFailed(problem))
        #expect(String(decoding: line, as: UTF8.self) == #"{"message":"\#(problem)","type":"notification_failed"}"# + "\n")
        let message = try JSONDecoder().decode(HostMessage.self, from: Data(line))
        #expect(message.type == .notificationFailed)
        #expect(message.message == problem)
        // A client may not send it.
        guard case .failure = HostMessage.request(from: Data(line.dropLast())) else {
            Issue.record("a client's notification_failed was accepted")
            return
        }
    }
}
