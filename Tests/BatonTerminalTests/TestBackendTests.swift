import Testing
@testable import BatonTerminal

@Suite struct TestBackendTests {
    @Test func drawKeepsTheLastBuffer() {
        let backend = TestBackend(width: 10, height: 3)
        #expect(backend.lines == ["", "", ""])
        var buffer = Buffer(width: 10, height: 3)
        buffer.write("hello", x: 0, y: 0)
        buffer.write("中文", x: 2, y: 2, style: Style(foreground: .red))
        backend.draw(buffer)
        #expect(backend.lines == ["hello", "", "  中文"])
        #expect(backend.screen[2, 2].style.foreground == .red)
        #expect(backend.drawCount == 1)
        #expect(backend.text == "hello\n\n  中文")
    }

    @Test func queuedEventsComeOutOnceInOrder() {
        let backend = TestBackend()
        #expect(backend.pendingEvents().isEmpty)
        backend.queue([.key(.up), .key(.character("q"))])
        backend.queue(keys: [.control("c")])
        backend.type("ab")
        #expect(backend.pendingEvents() == [
            .key(.up), .key(.character("q")), .key(.control("c")), .key(.character("a")), .key(.character("b")),
        ])
        #expect(backend.pendingEvents().isEmpty)
    }

    @Test func clicksAndTheWheelComeOutAsATerminalReportsThem() {
        let backend = TestBackend()
        backend.click(x: 3, y: 4)
        backend.wheel(2, x: 1, y: 2)
        backend.wheel(-1, x: 1, y: 2)
        #expect(backend.pendingEvents() == [
            .mouse(MouseEvent(.press, x: 3, y: 4)), .mouse(MouseEvent(.release, x: 3, y: 4)),
            .mouse(MouseEvent(.wheelDown, x: 1, y: 2)), .mouse(MouseEvent(.wheelDown, x: 1, y: 2)), .mouse(MouseEvent(.wheelUp, x: 1, y: 2)),
        ])
        #expect(MouseEvent(.wheelUp, button: 1, x: 0, y: 0).button == 0, "the wheel is no button")
        #expect(MouseEvent(.press, x: 3, y: 4, modifiers: .shift).description == "Shift-press 1 at 3,4")
    }

    @Test func mouseReportingIsOffWhileSuspendedAndAfterShutdown() {
        #expect(!TestBackend().isReportingMouse, "only when asked for")
        let backend = TestBackend(mouse: true)
        #expect(backend.isReportingMouse)
        backend.suspend()
        #expect(!backend.isReportingMouse)
        backend.resume()
        #expect(backend.isReportingMouse)
        backend.shutdown()
        #expect(!backend.isReportingMouse)
    }

    @Test func resizeChangesTheSizeAndQueuesAnEvent() {
        let backend = TestBackend(width: 80, height: 24)
        backend.resize(width: 100, height: 30)
        #expect(backend.width == 100 && backend.height == 30)
        #expect(backend.pendingEvents() == [.resize(width: 100, height: 30)])
    }

    @Test func bellAndShutdownAreCounted() {
        let backend = TestBackend(capabilities: TerminalCapabilities(colors: .none, unicode: false))
        backend.bell()
        backend.bell()
        backend.shutdown()
        backend.shutdown()
        #expect(backend.bellCount == 2)
        #expect(backend.shutdownCount == 2)
        #expect(backend.capabilities.colors == .none)
    }

    @Test func inputDescriptorIsReadableWhileEventsAreQueued() {
        let backend = TestBackend()
        #expect(backend.inputDescriptor >= 0)
        #expect(EventWaiter.wait(for: [backend.inputDescriptor], timeout: .zero).isEmpty)
        backend.queue([.key(.enter)])
        #expect(EventWaiter.wait(for: [backend.inputDescriptor], timeout: .seconds(1)) == [backend.inputDescriptor])
        _ = backend.pendingEvents()
        #expect(EventWaiter.wait(for: [backend.inputDescriptor], timeout: .zero).isEmpty)
    }

    @Test func worksThroughTheProtocol() {
        let backend: any TerminalBackend = TestBackend(width: 4, height: 1)
        var buffer = Buffer(width: 4, height: 1)
        buffer.write("abcd", x: 0, y: 0)
        backend.draw(buffer)
        #expect((backend as? TestBackend)?.lines == ["abcd"])
    }
}
