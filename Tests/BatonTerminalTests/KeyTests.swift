import Testing
@testable import BatonTerminal

@Suite struct KeyTests {
    @Test func namesForHelpText() {
        #expect(Key.up.name == "Up")
        #expect(Key.down.description == "Down")
        #expect(Key.pageUp.name == "PgUp")
        #expect(Key.pageDown.name == "PgDn")
        #expect(Key.control("c").name == "Ctrl-C")
        #expect(Key.control("\\").name == "Ctrl-\\")
        #expect(Key.control(" ").name == "Ctrl-Space")
        #expect(Key.character("?").name == "?")
        #expect(Key.character(" ").name == "Space")
        #expect(Key.character("中").name == "中")
        #expect(Key.function(5).name == "F5")
        #expect(Key.backTab.name == "Shift-Tab")
        #expect(Key.escape.name == "Esc")
        #expect(Key.enter.name == "Enter")
        #expect(Key.delete.name == "Del")
        #expect(Key.insert.name == "Ins")
        #expect(Key.backspace.name == "Backspace")
        #expect("\(InputEvent.key(.control("q")))" == "key Ctrl-Q")
        #expect("\(InputEvent.resize(width: 80, height: 24))" == "resize 80×24")
    }

    @Test(arguments: [
        (UInt32(9), Key.tab), (13, .enter), (10, .enter), (8, .backspace), (127, .backspace), (27, .escape),
        (1, .control("a")), (3, .control("c")), (26, .control("z")), (0, .control(" ")), (28, .control("\\")),
        (31, .control("_")), (32, .character(" ")), (0x71, .character("q")), (0x3F, .character("?")),
        (0xE9, .character("é")), (0x4E2D, .character("中")), (0x1F680, .character("🚀")),
    ])
    func characterCodesBecomeKeys(code: UInt32, key: Key) {
        #expect(Key(code: code) == key)
    }

    @Test func codesThatAreNotKeys() {
        #expect(Key(code: 0x85) == nil, "C1 control")
        #expect(Key(code: 0xD800) == nil, "surrogate")
        #expect(Key(code: 0x110000) == nil, "beyond Unicode")
    }

    /// Curses key codes are fixed ncurses values (KEY_UP is 0o403, KEY_F0 0o410, …).
    @Test func cursesKeyCodesBecomeKeys() {
        #expect(CursesBackend.key(forKeyCode: 0o403) == .up)
        #expect(CursesBackend.key(forKeyCode: 0o402) == .down)
        #expect(CursesBackend.key(forKeyCode: 0o404) == .left)
        #expect(CursesBackend.key(forKeyCode: 0o405) == .right)
        #expect(CursesBackend.key(forKeyCode: 0o406) == .home)
        #expect(CursesBackend.key(forKeyCode: 0o550) == .end)
        #expect(CursesBackend.key(forKeyCode: 0o522) == .pageDown)
        #expect(CursesBackend.key(forKeyCode: 0o523) == .pageUp)
        #expect(CursesBackend.key(forKeyCode: 0o411) == .function(1))
        #expect(CursesBackend.key(forKeyCode: 0o410 + 12) == .function(12))
        #expect(CursesBackend.key(forKeyCode: 0o541) == .backTab)
        #expect(CursesBackend.key(forKeyCode: 0o512) == .delete)
        #expect(CursesBackend.key(forKeyCode: 0o513) == .insert)
        #expect(CursesBackend.key(forKeyCode: 0o407) == .backspace)
        #expect(CursesBackend.key(forKeyCode: 0o527) == .enter)
        #expect(CursesBackend.key(forKeyCode: 0o631) == nil, "KEY_MOUSE is ignored")
    }
}
