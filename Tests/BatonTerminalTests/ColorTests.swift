import Testing
@testable import BatonTerminal

@Suite struct ColorTests {
    @Test func defaultHasNoPaletteIndex() {
        #expect(Color.default.paletteIndex(limit: 256) == nil)
        #expect(Color.default.paletteIndex(limit: 8) == nil)
    }

    @Test func ansiColoursKeepTheirIndexOrLoseBrightness() {
        #expect(Color.red.paletteIndex(limit: 256) == 1)
        #expect(Color.brightWhite.paletteIndex(limit: 16) == 15)
        #expect(Color.brightWhite.paletteIndex(limit: 8) == 7)
        #expect(Color.brightBlack.paletteIndex(limit: 8) == 0)
    }

    @Test func indexedColoursMapDownTo16And8() {
        #expect(Color.indexed(208).paletteIndex(limit: 256) == 208)
        #expect(Color.indexed(9).paletteIndex(limit: 16) == 9)
        #expect(Color.indexed(9).paletteIndex(limit: 8) == 1)
        // 196 is pure red (255,0,0): bright red with 16 colours, red with 8.
        #expect(Color.indexed(196).paletteIndex(limit: 16) == 9)
        #expect(Color.indexed(196).paletteIndex(limit: 8) == 1)
        // Dark and pastel shades keep their hue: 22 is (0,95,0), 114 (135,215,135), 210 (255,135,135).
        #expect(Color.indexed(22).paletteIndex(limit: 16) == 2)
        #expect(Color.indexed(28).paletteIndex(limit: 8) == 2)
        #expect(Color.indexed(114).paletteIndex(limit: 16) == 10)
        #expect(Color.indexed(114).paletteIndex(limit: 8) == 2)
        #expect(Color.indexed(210).paletteIndex(limit: 16) == 9)
        #expect(Color.indexed(186).paletteIndex(limit: 16) == 11)
        #expect(Color.indexed(52).paletteIndex(limit: 16) == 1)
        // 21 is pure blue; 226 pure yellow; 231 white.
        #expect(Color.indexed(21).paletteIndex(limit: 16) == 12)
        #expect(Color.indexed(226).paletteIndex(limit: 8) == 3)
        #expect(Color.indexed(231).paletteIndex(limit: 16) == 15)
        #expect(Color.indexed(231).paletteIndex(limit: 8) == 7)
    }

    @Test func greysMapByLightness() {
        #expect(Color.indexed(232).paletteIndex(limit: 16) == 0)
        #expect(Color.indexed(236).paletteIndex(limit: 8) == 0)
        #expect(Color.indexed(240).paletteIndex(limit: 16) == 8)
        #expect(Color.indexed(245).paletteIndex(limit: 16) == 8)
        #expect(Color.indexed(250).paletteIndex(limit: 16) == 7)
        #expect(Color.indexed(255).paletteIndex(limit: 16) == 15)
        // With 8 colours a mid grey becomes white rather than vanishing into black.
        #expect(Color.indexed(245).paletteIndex(limit: 8) == 7)
        #expect(Color.indexed(102).paletteIndex(limit: 16) == 8, "(135,135,135) in the cube is grey too")
    }

    @Test func everyIndexStaysInsideThePalette() {
        for value in 0...255 {
            for limit in [8, 16, 256] {
                let index = Color.indexed(UInt8(value)).paletteIndex(limit: limit)
                #expect(index.map { $0 >= 0 && $0 < limit } == true, "indexed(\(value)) limit \(limit)")
            }
        }
    }

    @Test func colourSupportFromCount() {
        #expect(ColorSupport(colorCount: 0) == .none)
        #expect(ColorSupport(colorCount: 2) == .none)
        #expect(ColorSupport(colorCount: 8) == .ansi8)
        #expect(ColorSupport(colorCount: 88) == .ansi16)
        #expect(ColorSupport(colorCount: 256) == .indexed256)
        #expect(ColorSupport(colorCount: 16_777_216) == .indexed256)
        #expect(ColorSupport.none < .ansi8 && ColorSupport.ansi16 < .indexed256)
    }

    @Test func directColourValuesFollowTheXtermPalette() {
        #expect(CursesBackend.rgb(ofPaletteIndex: 196) == 0xFF0000)
        #expect(CursesBackend.rgb(ofPaletteIndex: 16) == 0x000000)
        #expect(CursesBackend.rgb(ofPaletteIndex: 231) == 0xFFFFFF)
        #expect(CursesBackend.rgb(ofPaletteIndex: 244) == 0x808080)
        #expect(CursesBackend.rgb(ofPaletteIndex: 15) == 0xFFFFFF)
    }
}
