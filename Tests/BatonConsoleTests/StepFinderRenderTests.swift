import BatonEngine
import BatonTerminal
import Testing
@testable import BatonConsole

/// The step finder on screen: its box over the log pane, its keys on the footer's row, and
/// the steps table's title; at every size, tiny ones included, it draws only where it may.
@Suite struct StepFinderRenderTests {
    typealias F = StepFinderTests

    static func finderOpen(_ query: String, width: Int = 120, height: Int = 36) -> AppState {
        var state = F.state(width: width, height: height)
        F.press(.character(":"), in: &state)
        F.type(query, in: &state)
        return state
    }

    static func screen(_ state: AppState, unicode: Bool = true) -> [String] {
        ConsoleView.render(state, context: F.context, theme: unicode ? .builtInDark : .builtInDark.asciiOnly, unicode: unicode).lines
    }

    @Test func theBoxListsTheMatchesOverTheLogPane() throws {
        let state = Self.finderOpen("dep")
        let lines = Self.screen(state)
        let box = ConsoleLayout(state).logs
        let rows = lines[box.y..<box.maxY].map { String($0.dropFirst(box.x).prefix(box.width)) }
        #expect(rows[0].contains("Find a step — 2 of 8 steps"), "\(rows[0])")
        #expect(rows[1].contains(": dep "), "\(rows[1])")
        // The query is a text field: its cursor, after the text, is a cell in reverse video.
        let rendered = ConsoleView.render(state, context: F.context, theme: .builtInDark, unicode: true)
        let cursorX = try #require(Array(lines[box.y + 1]).firstIndex(of: ":")).advanced(by: 5)
        #expect(rendered[cursorX, box.y + 1].style.attributes.contains(.reverse))
        #expect(rows[2].contains("deploy-web[web1]") && rows[2].contains("@web1"), "\(rows[2])")
        #expect(rows[3].contains("deploy-web[web2]"), "\(rows[3])")
        #expect(rows.last?.contains("↑↓ choose · Enter jump · Esc back") == true, "\(rows.last ?? "")")
        #expect(lines.last?.contains("Enter jump") == true, "the footer shows the finder's keys: \(lines.last ?? "")")
        let steps = ConsoleLayout(state).steps
        #expect(lines[steps.y].contains("matching 'dep'"), "the table's title says what narrows it: \(lines[steps.y])")
    }

    @Test func theChosenMatchIsSelectedAndItsMatchedCharactersHighlighted() throws {
        var state = Self.finderOpen("dep")
        F.press(.down, in: &state)
        let buffer = ConsoleView.render(state, context: F.context, theme: .builtInDark, unicode: true)
        let box = ConsoleLayout(state).logs
        let selection = Theme.builtInDark.style(.selection)
        let first = box.y + 2, second = box.y + 3
        #expect(buffer[box.x + 3, second].style.background == selection.background, "the chosen row")
        #expect(buffer[box.x + 3, first].style.background != selection.background)
        // "d", "e", "p" of deploy-web[web1]: the id starts after the glyph and a space.
        let idStart = box.x + 4
        let match = Theme.builtInDark.style(.searchMatch)
        for column in idStart..<(idStart + 3) {
            #expect(buffer[column, first].style.background == match.background || buffer[column, first].style.foreground == match.foreground,
                    "column \(column) is highlighted")
        }
        #expect(buffer[idStart + 3, first].style == Theme.builtInDark.style(.text))
    }

    @Test func nothingMatchingSaysWhyAndHowTokensWork() {
        let unknown = Self.screen(Self.finderOpen("state:nope")).joined(separator: "\n")
        #expect(unknown.contains("no state is called 'nope'"))
        #expect(unknown.contains("pending held waiting"))
        let word = Self.screen(Self.finderOpen("failed")).joined(separator: "\n")
        #expect(word.contains("state:failed keeps the failed steps"), "a plain word that names a state points to the token")
        let none = Self.screen(Self.finderOpen("zzz")).joined(separator: "\n")
        #expect(none.contains("no step matches"))
        #expect(none.contains("│no step matches 'zzz'"), "the table says so too")
    }

    @Test func anEmptyQueryListsEveryStep() {
        let lines = Self.screen(Self.finderOpen(""))
        let text = lines.joined(separator: "\n")
        #expect(text.contains("Find a step — 8 steps"))
        #expect(text.contains("│ : "))
        #expect(text.contains("smoke-test"))
    }

    @Test func withoutUTF8TheBoxIsASCII() {
        let lines = Self.screen(Self.finderOpen("dep"), unicode: false)
        #expect(lines.allSatisfy { $0.unicodeScalars.allSatisfy(\.isASCII) })
        #expect(lines.joined(separator: "\n").contains(": dep "))
        #expect(lines.last?.contains("Up/Down choose") == true)
    }

    /// At every terminal size, the small ones and those below the console's minimum too, the
    /// screen is drawn without a crash, to its size.
    @Test(arguments: [(200, 50), (120, 36), (80, 24), (60, 16), (59, 15), (30, 8), (12, 3), (1, 1), (0, 0)])
    func everySizeDraws(width: Int, height: Int) {
        for query in ["", "dep", "zzz", "host:web1 state:failed", String(repeating: "long-query ", count: 30)] {
            var state = Self.finderOpen(query, width: width, height: height)
            F.press(.down, .down, in: &state)
            let buffer = ConsoleView.render(state, context: F.context, theme: .builtInDark, unicode: true)
            #expect(buffer.width == max(0, width) && buffer.height == max(0, height))
            if !ConsoleLayout(state).isTooSmall {
                #expect(buffer.lines.joined().contains("Find a step"), "\(width)×\(height) '\(query)'")
            }
        }
    }

    /// The box draws inside its area and nowhere else, however small the area.
    @Test func theBoxNeverDrawsOutsideItsArea() {
        let state = Self.finderOpen("web")
        let blank = Buffer(width: 40, height: 12)
        for width in 0...16 {
            for height in 0...7 {
                let area = Rect(x: 3, y: 2, width: width, height: height)
                var buffer = blank
                let view = StepFinderView(state: state, theme: .builtInDark, unicode: true)
                view.render(into: &buffer, area: area)
                var footer = buffer
                view.renderKeys(into: &footer, area: Rect(x: 3, y: 2, width: width, height: min(1, height)), boxShown: StepFinderView.fits(area))
                for (drawn, limit) in [(buffer, area), (footer, area)] {
                    for y in 0..<blank.height {
                        for x in 0..<blank.width where !limit.contains(x: x, y: y) {
                            #expect(drawn[x, y] == blank[x, y], "\(width)×\(height): drew at (\(x), \(y))")
                        }
                    }
                }
                if StepFinderView.fits(area) {
                    #expect(buffer.lines[2].contains("Find"), "\(width)×\(height)")
                }
            }
        }
    }

    @Test func onATerminalTooSmallForTheBoxTheFooterTakesTheQuery() {
        let state = Self.finderOpen("dep")
        var buffer = Buffer(width: 50, height: 1)
        StepFinderView(state: state, theme: .builtInDark, unicode: true)
            .renderKeys(into: &buffer, area: buffer.area, boxShown: false)
        #expect(buffer.lines[0].hasPrefix(": dep "), "\(buffer.lines[0])")
        #expect(buffer[5, 0].style.attributes.contains(.reverse), "the cursor after the query")
        #expect(buffer.lines[0].contains("Enter jump"))
    }
}
