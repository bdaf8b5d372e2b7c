import Foundation
import Testing
@testable import BatonEngine

/// Every command may say why: the audit trail keeps the comment of a retry, a skip, a cancel
/// or a rollback as it keeps an approval's, accepted or refused.
@Suite struct CommandCommentTests {
    typealias S = EngineTestSupport

    @Test func theCommentOfAnyCommandIsRecordedWithIt() async throws {
        let engine = try await S.startedEngine([S.simulated("a", exitCodes: [1]), S.simulated("b", needs: ["a"])])
        _ = try await S.settle(engine)
        let retried = await engine.perform(OperatorCommand(.retry, step: "a", comment: "the mirror was down"), by: "alice")
        #expect(retried.isAccepted)
        let refused = await engine.perform(OperatorCommand(.skip, step: "nope", comment: "wrong step"), by: "bob")
        #expect(!refused.isAccepted)
        let plain = await engine.perform(OperatorCommand(.pause), by: "carol")
        #expect(plain.isAccepted)
        let audit = await engine.state.audit
        #expect(audit.first { $0.action == "retry" }?.comment == "the mirror was down")
        #expect(audit.first { $0.action == "skip" }?.comment == "wrong step", "a refusal keeps its comment too")
        #expect(audit.first { $0.action == "pause" }?.comment == nil, "and a command without one has none")
        _ = await engine.close(by: "tester")
    }
}
