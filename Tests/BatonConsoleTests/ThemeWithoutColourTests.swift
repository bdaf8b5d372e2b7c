import Testing
@testable import BatonConsole
@testable import BatonTerminal

/// `NO_COLOR` and monochrome terminals: no colour is left, and nothing that colour alone
/// marked becomes invisible.
@Suite struct ThemeWithoutColourTests {
    @Test func noColourRemains() {
        let theme = Theme.builtInDark.withoutColour
        for (role, style) in theme.styles {
            #expect(style.foreground == .default && style.background == .default, "\(role) keeps a colour")
        }
    }

    @Test func rolesMarkedOnlyByTheirBackgroundGetAttributes() {
        let theme = Theme.builtInDark.withoutColour
        #expect(theme.style(.selection).attributes.contains(.reverse))
        #expect(theme.style(.searchMatch).attributes.contains(.underline))
        #expect(theme.style(.searchCurrent).attributes.isSuperset(of: [.reverse, .underline]))
        #expect(theme.style(.paused).attributes.contains(.reverse))
        // The selection no longer looks like a failed step's bold glyph.
        #expect(theme.style(.selection) != theme.style(for: .failed))
    }

    @Test func rolesWithoutABackgroundAreLeftAsTheyWere() {
        let theme = Theme.builtInDark.withoutColour
        #expect(theme.style(.stderr).attributes == [])
        #expect(theme.style(.keyHint).attributes == .bold)
    }
}
