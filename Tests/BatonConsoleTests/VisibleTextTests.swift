import BatonEngine
import BatonTestSupport
import Foundation
import Testing
@testable import BatonConsole

/// Each kind of hostile step output, escaped for display.
@Suite struct VisibleTextTests {
    /// Whether text holds anything a terminal would act on or that reorders text (checked
    /// here on its own, not with the code under test).
    static func holdsControls(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x00..<0x20, 0x7F..<0xA0, 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: return true
            default: return false
            }
        }
    }

    @Test func csiColoursAreShown() {
        #expect(VisibleText.escape("\u{1B}[31mred\u{1B}[0m plain") == #"\e[31mred\e[0m plain"#)
        #expect(VisibleText.escape("\u{1B}[38;2;255;0;0mtrue colour") == #"\e[38;2;255;0;0mtrue colour"#)
    }

    @Test func csiCursorMovementIsShown() {
        #expect(VisibleText.escape("\u{1B}[2J\u{1B}[H\u{1B}[10;20Hhere\u{1B}[3A\u{1B}[K") == #"\e[2J\e[H\e[10;20Hhere\e[3A\e[K"#)
    }

    @Test func oscWindowTitleIsShownWithEitherTerminator() {
        #expect(VisibleText.escape("\u{1B}]0;pwned\u{07}after") == #"\e]0;pwned\aafter"#)
        #expect(VisibleText.escape("\u{1B}]2;pwned\u{1B}\\after") == #"\e]2;pwned\e\after"#)
    }

    @Test func oscClipboardIsShown() {
        #expect(VisibleText.escape("copy \u{1B}]52;c;cm0gLXJmIH4=\u{07}") == #"copy \e]52;c;cm0gLXJmIH4=\a"#)
    }

    @Test func dcsIsShown() {
        #expect(VisibleText.escape("\u{1B}P1$r0m\u{1B}\\") == #"\eP1$r0m\e\"#)
        #expect(VisibleText.escape("\u{1B}Ptmux;\u{1B}\u{1B}]0;x\u{07}\u{1B}\\") == #"\ePtmux;\e\e]0;x\a\e\"#)
    }

    @Test func alternateScreenSwitchesAreShown() {
        #expect(VisibleText.escape("\u{1B}[?1049h\u{1B}[?1049l\u{1B}[?47h") == #"\e[?1049h\e[?1049l\e[?47h"#)
    }

    @Test func c1ControlsAreShownAsCharacters() {
        // U+009B is the 8-bit CSI; U+009D the 8-bit OSC.
        #expect(VisibleText.escape("\u{9B}31mred \u{9D}0;t\u{9C}") == #"\u{9B}31mred \u{9D}0;t\u{9C}"#)
        #expect(VisibleText.escape("\u{80}\u{9F}") == #"\u{80}\u{9F}"#)
    }

    @Test func nulIsShown() {
        #expect(VisibleText.escape("a\u{0}b\u{0}") == #"a\0b\0"#)
    }

    @Test func bellBackspaceAndCarriageReturnAreShown() {
        #expect(VisibleText.escape("ding\u{07} back\u{08}\u{08}X 50%\r100%") == #"ding\a back\b\bX 50%\r100%"#)
        #expect(VisibleText.escape("\n\u{0B}\u{0C}") == #"\n\v\f"#)
    }

    @Test func otherControlsAndDeleteAreShownAsBytes() {
        #expect(VisibleText.escape("\u{01}\u{1A}\u{1F}\u{7F}") == #"\x01\x1A\x1F\x7F"#)
    }

    @Test func tabsBecomeSpacesToTheNextStop() {
        #expect(VisibleText.escape("a\tb") == "a       b")
        #expect(VisibleText.escape("abcdefgh\tx") == "abcdefgh        x")
        #expect(VisibleText.escape("\u{1B}\tx") == #"\e"# + String(repeating: " ", count: 6) + "x")
    }

    @Test func invalidUTF8BytesAreShownOneByOne() {
        // A stray continuation byte, a lead byte with a bad follower, a surrogate, an overlong
        // slash, a truncated four-byte sequence, and 0x9B (8-bit CSI as a raw byte).
        let bytes: [UInt8] = [0x61, 0xFF, 0x80, 0xC3, 0x28, 0xED, 0xA0, 0x80, 0xC0, 0xAF, 0xF0, 0x9F, 0x98, 0x20, 0x9B, 0x31, 0x6D]
        #expect(VisibleText.escape(bytes: bytes) == #"a\xFF\x80\xC3(\xED\xA0\x80\xC0\xAF\xF0\x9F\x98 \x9B1m"#)
        // Valid multi-byte characters among them are kept.
        #expect(VisibleText.escape(bytes: Array("é日👍".utf8) + [0xFE]) == #"é日👍\xFE"#)
        // A line read back without its bytes has U+FFFD instead: shown, not passed as a glyph.
        #expect(VisibleText.escape(String(decoding: bytes, as: UTF8.self)).contains(#"\u{FFFD}"#))
    }

    @Test func aLineWithRawBytesIsShownFromThem() {
        let raw: [UInt8] = [0x6F, 0x6B, 0x20, 0xFF]
        let line = OutputLine(stepID: "s", stream: .stdout, text: String(decoding: raw, as: UTF8.self), raw: raw)
        #expect(VisibleText.escape(line) == #"ok \xFF"#)
        #expect(VisibleText.escape(OutputLine(stepID: "s", stream: .stdout, text: "ok \u{1B}[1m")) == #"ok \e[1m"#)
    }

    @Test func bidiControlsAreShown() {
        // "Trojan source": an override that makes the terminal draw the text reversed.
        #expect(VisibleText.escape("access\u{202E}nimda\u{202C} ok") == #"access\u{202E}nimda\u{202C} ok"#)
        #expect(VisibleText.escape("\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{061C}")
            == #"\u{2066}\u{2067}\u{2068}\u{2069}\u{200E}\u{200F}\u{61C}"#)
        #expect(VisibleText.escape("one\u{2028}two\u{2029}") == #"one\u{2028}two\u{2029}"#)
    }

    @Test func anEnormousLineIsCutWithAMarker() {
        let huge = String(repeating: "x", count: (1 << 20) + 5)
        let shown = VisibleText.escape(huge)
        let kept = String(repeating: "x", count: VisibleText.displayLimit)
        #expect(shown == kept + " … (\((1 << 20) + 5 - VisibleText.displayLimit) more bytes)")
        // Escapes count against the limit too: a line of ESCs is cut after as many characters.
        let escapes = VisibleText.escape(bytes: [UInt8](repeating: 0xFF, count: 1 << 20))
        #expect(escapes.hasPrefix(#"\xFF\xFF"#))
        #expect(escapes.hasSuffix(" … (\((1 << 20) - VisibleText.displayLimit / 4) more bytes)"))
        #expect(escapes.utf8.count < VisibleText.displayLimit + 40)
        #expect(VisibleText.escape(String(repeating: "y", count: 10), limit: 4) == "yyyy … (6 more bytes)")
        #expect(VisibleText.escape("yy\u{1B}", limit: 2) == "yy … (1 more byte)")
    }

    @Test func safeTextIsKeptAsItIs() {
        for text in ["", "plain ascii ~!@#$%^&*()", #"a backslash \e stays"#, "naïve — 日本語 👍🏽 e\u{301}", "ZWJ 👨‍👩‍👧"] {
            #expect(VisibleText.escape(text) == text)
        }
    }

    @Test func escapedTextHoldsNoControlsAndEscapingAgainChangesNothing() {
        let hostile = [
            "\u{1B}[31m", "\u{1B}]0;t\u{07}", "\u{1B}]52;c;eA==\u{07}", "\u{1B}P\u{1B}\\", "\u{1B}[?1049h",
            "\u{9B}2J", "\u{0}", "\u{07}\u{08}\r", "\u{202E}x", "a\tb\u{7F}", "\u{FFFD}",
        ]
        for text in hostile {
            let shown = VisibleText.escape(text)
            #expect(!Self.holdsControls(shown), "\(shown.debugDescription) still holds a control character")
            #expect(VisibleText.escape(shown) == shown)
        }
        let bytes = VisibleText.escape(bytes: (0...255).map(UInt8.init))
        #expect(!Self.holdsControls(bytes))
    }

    @Test func escapingAnEnormousLineIsQuick() {
        let huge = String(repeating: "\u{1B}[31mred ", count: (1 << 20) / 9)
        // A guard against a runaway scan, in processor time: linear work takes milliseconds.
        let elapsed = ThreadCPUTime.measure { _ = VisibleText.escape(huge) }
        #expect(elapsed < .seconds(1), "escaping a 1 MiB line took \(elapsed) of processor time")
    }
}
