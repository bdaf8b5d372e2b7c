import BatonEngine
import BatonTerminal
import Foundation
import Testing
@testable import BatonConsole

/// The repository's `themes/` folder, found from this file's path.
private let shippedThemes = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("themes").path

private let shippedNames = ["dark", "high-contrast", "light", "mono"]

/// The problems loading `yaml` reports; empty when it loads.
private func problems(_ yaml: String, file: String = "t.yaml") -> [String] {
    do {
        _ = try ThemeLoader.load(yaml: yaml, file: file)
        return []
    } catch {
        return error.problems
    }
}

/// The problems loading `bytes` reports; empty when they load.
private func problems(bytes: [UInt8], file: String = "t.yaml") -> [String] {
    do {
        _ = try ThemeLoader.load(data: bytes, file: file)
        return []
    } catch {
        return error.problems
    }
}

/// The single problem loading `yaml` reports, or a note saying how many there were.
private func problem(_ yaml: String) -> String {
    let found = problems(yaml)
    return found.count == 1 ? found[0] : "\(found.count) problems: \(found)"
}

/// The theme in `yaml`, failing the test with its problems when it does not load.
private func loadTheme(_ yaml: String, file: String = "t.yaml", sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Theme? {
    do {
        return try ThemeLoader.load(yaml: yaml, file: file)
    } catch {
        Issue.record("unexpected problems: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// A fresh folder under the temporary directory, removed by `remove()`.
private struct Scratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("baton-theme-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true
        )
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    func folder(_ name: String) throws -> String {
        let folder = path + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

// MARK: - Colour arithmetic for the readability checks

private func rgb(_ colour: Color, default fallback: (Int, Int, Int)) -> (Int, Int, Int) {
    switch colour {
    case .default: return fallback
    case .ansi(let index), .indexed(let index): return ThemeColour.rgb(ofIndex: Int(index))
    }
}

private func luminance(_ colour: (Int, Int, Int)) -> Double {
    func channel(_ value: Int) -> Double {
        let v = Double(value) / 255
        return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * channel(colour.0) + 0.7152 * channel(colour.1) + 0.0722 * channel(colour.2)
}

/// The WCAG contrast ratio of a style's text, on a terminal with `background` and `foreground`
/// as its default colours.
private func contrast(_ style: Style, background: (Int, Int, Int), foreground: (Int, Int, Int)) -> Double {
    var fg = rgb(style.foreground, default: foreground)
    var bg = rgb(style.background, default: background)
    if style.attributes.contains(.reverse) { swap(&fg, &bg) }
    let (a, b) = (luminance(fg), luminance(bg))
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)
}

@Suite("Theme loader")
struct ThemeLoaderTests {
    // MARK: Shipped themes

    @Test func shippedFolderHoldsTheFourThemes() {
        #expect(ThemeCatalog.available(in: [shippedThemes], builtIns: []) == shippedNames)
    }

    @Test(arguments: shippedNames)
    func shippedThemeDefinesEveryRoleAndGlyph(name: String) throws {
        // requireComplete turns every role or glyph the file leaves out into a problem.
        let theme = try ThemeLoader.load(contentsOf: shippedThemes + "/\(name).yaml", requireComplete: true)
        #expect(theme.name == name)
        #expect(Set(theme.styles.keys) == Set(ThemeRole.all))
        #expect(Set(theme.glyphs.keys) == Set(StepState.allCases))
        for (state, glyph) in theme.glyphs {
            #expect(glyph.count == 1 && TextWidth.of(glyph) == 1, "glyph of \(state)")
        }
    }

    // The YAML core's guards (bytes that are not text, aliases that expand too far, nesting,
    // more than one document, the size of what is composed) are tested once for every loader
    // in YAMLCoreGuardTests; these tests are about themes.

    @Test func anchorsShareAStyleBetweenRoles() throws {
        let theme = try #require(loadTheme("roles:\n  muted: &dim {fg: 245}\n  text: *dim\n"))
        #expect(theme.styles[ThemeRole("muted")]?.foreground == theme.styles[ThemeRole("text")]?.foreground)
    }

    @Test func anEmptyAttributeIsNotGiven() throws {
        // Read as `false`, an empty `bold:` contradicted `attrs: [bold]`.
        let theme = try #require(loadTheme("roles:\n  text: {bold: ~, attrs: [bold], dim: }\n"))
        #expect(theme.styles[ThemeRole("text")]?.attributes == .bold)
    }

    @Test func requireCompleteNamesWhatIsMissing() {
        let yaml = """
        roles:
          text: {}
        glyphs:
          succeeded: "+"
        """
        let found: [String]
        do {
            _ = try ThemeLoader.load(yaml: yaml, file: "t.yaml", requireComplete: true)
            found = []
        } catch {
            found = error.problems
        }
        let roles = ThemeRole.all.map(\.name).filter { $0 != "text" }.joined(separator: ", ")
        let states = StepState.allCases.map(\.rawValue).filter { $0 != "succeeded" }.joined(separator: ", ")
        #expect(found == [
            "t.yaml:1:1: roles not defined: \(roles)",
            "t.yaml:3:1: glyphs not defined: \(states)",
        ])
    }

    @Test func darkFileIsTheBuiltInTheme() throws {
        let theme = try ThemeLoader.load(contentsOf: shippedThemes + "/dark.yaml")
        #expect(theme == Theme.builtInDark)
        for role in ThemeRole.all {
            #expect(theme.style(role) == Theme.builtInDark.style(role), "role \(role)")
        }
    }

    @Test func lightThemeIsReadableOnWhite() throws {
        let theme = try ThemeLoader.load(contentsOf: shippedThemes + "/light.yaml")
        let decorative: Set<ThemeRole> = [.border, .edge]
        for role in ThemeRole.all {
            let ratio = contrast(theme.style(role), background: (255, 255, 255), foreground: (0, 0, 0))
            let needed = decorative.contains(role) ? 3.0 : 4.5
            #expect(ratio >= needed, "\(role): contrast \(ratio) on white")
        }
        // The dark theme's state colours would not pass: the check can fail.
        let darkCancelled = contrast(Theme.builtInDark.style(.state(.cancelled)), background: (255, 255, 255), foreground: (0, 0, 0))
        #expect(darkCancelled < 4.5)
    }

    @Test func highContrastSelectsInReverseAndNothingIsDim() throws {
        let theme = try ThemeLoader.load(contentsOf: shippedThemes + "/high-contrast.yaml")
        #expect(theme.style(.selection).attributes.contains(.reverse))
        for role in ThemeRole.all {
            #expect(!theme.style(role).attributes.contains(.dim), "\(role) is dim")
        }
        for state in StepState.allCases {
            #expect(theme.style(for: state).attributes.contains(.bold), "\(state) is not bold")
            #expect(theme.style(for: state).foreground != .default, "\(state) has no colour")
        }
    }

    @Test func monoHasNoColoursAndUsesOnlyFourAttributes() throws {
        let theme = try ThemeLoader.load(contentsOf: shippedThemes + "/mono.yaml")
        let allowed: Style.Attributes = [.bold, .dim, .underline, .reverse]
        for role in ThemeRole.all {
            let style = theme.style(role)
            #expect(style.foreground == .default && style.background == .default, "\(role) has a colour")
            #expect(allowed.isSuperset(of: style.attributes), "\(role) uses another attribute")
            #expect(!style.attributes.isSuperset(of: [.bold, .dim]), "\(role) is both bold and dim")
        }
        for role: ThemeRole in [.selection, .paused, .attention, .state(.failed)] {
            #expect(theme.style(role).attributes.contains(.reverse), "\(role) does not stand out")
        }
        #expect(theme.style(for: .failed) != theme.style(for: .succeeded))
        #expect(theme.style(for: .running) != theme.style(for: .pending))
    }

    // MARK: Roles and colours

    @Test func unknownRoleSuggestsTheClosest() {
        let yaml = """
        name: x
        roles:
          muted: {fg: 245}
          state.runing: {fg: 75}
        """
        #expect(problem(yaml) == "t.yaml:4:3: unknown role 'state.runing'; did you mean 'state.running'?")
    }

    @Test func roleHintsForMissingPrefixAndDashes() {
        let yaml = """
        roles:
          running: {fg: 75}
          border-focused: {bold: true}
          sidebar: {}
        """
        #expect(problems(yaml) == [
            "t.yaml:2:3: unknown role 'running'; did you mean 'state.running'?",
            "t.yaml:3:3: unknown role 'border-focused'; did you mean 'border_focused'?",
            "t.yaml:4:3: unknown role 'sidebar' (the roles are listed in docs/themes.md)",
        ])
    }

    @Test func colourOutOfRangeNamesKeyRoleAndValue() {
        let yaml = """
        roles:
          selection: {fg: 300, bg: 24, bold: true}
        """
        #expect(problem(yaml) == "t.yaml:2:19: 'fg' of 'selection': '300' is not a colour (use default, a name like red, 0–255, or #rrggbb)")
    }

    @Test func misspeltColourNameGetsASuggestion() {
        let yaml = """
        roles:
          status_info:
            fg: gren
            bg: "#12345g"
        """
        #expect(problems(yaml) == [
            "t.yaml:3:9: 'fg' of 'status_info': 'gren' is not a colour (use default, a name like red, 0–255, or #rrggbb); did you mean 'green'?",
            "t.yaml:4:9: 'bg' of 'status_info': '#12345g' is not a colour (use default, a name like red, 0–255, or #rrggbb)",
        ])
    }

    @Test func unquotedHexIsExplainedAsAComment() {
        let block = """
        roles:
          paused:
            bg: #ffaf00
        """
        #expect(problem(block) == "t.yaml:3:9: 'bg' of 'paused': #ffaf00 is read as a YAML comment because it is not in quotes; write bg: \"#ffaf00\"")
        // In a flow mapping the comment swallows the closing brace: a syntax error, with the hint.
        let flow = """
        roles:
          paused: {fg: black, bg: #ffaf00}
        muted: {}
        """
        let found = problems(flow)
        #expect(found.first == "t.yaml:2:27: #ffaf00 is read as a YAML comment because it is not in quotes; write \"#ffaf00\"")
        #expect(found.count == 2 && found[1].contains("YAML syntax error"))
    }

    @Test func colourValuesParse() {
        let cases: [(String, Color?)] = [
            ("default", .default), ("DEFAULT", .default),
            ("black", .ansi(0)), ("red", .ansi(1)), ("white", .ansi(7)),
            ("bright-black", .ansi(8)), ("bright_red", .ansi(9)), ("Bright-White", .ansi(15)),
            ("0", .indexed(0)), ("16", .indexed(16)), ("255", .indexed(255)), ("007", .indexed(7)),
            ("256", nil), ("-1", nil), ("1.5", nil), ("", nil), ("reddish", nil), ("bright", nil),
            ("#ffaf00", .indexed(214)), ("#FFAF00", .indexed(214)), ("#000000", .indexed(16)),
            ("#ffffff", .indexed(231)), ("#808080", .indexed(244)), ("#080808", .indexed(232)),
            ("#fe0101", .indexed(196)), ("#5f87af", .indexed(67)), ("#7f7f7f", .indexed(244)),
            ("#fff", nil), ("#ffaf0", nil), ("#ffaf000", nil), ("ffaf00", nil), ("#gg0000", nil),
        ]
        for (text, expected) in cases {
            #expect(ThemeColour.parse(text) == expected, "\(text)")
        }
    }

    @Test func hexColoursNeverMapToTheRedefinableSixteen() {
        for value in stride(from: 0, through: 255, by: 17) {
            let index = ThemeColour.nearestIndex(red: value, green: 255 - value, blue: value / 2)
            #expect(index >= 16)
        }
    }

    @Test func coloursAndAttributesBuildTheStyle() throws {
        let yaml = """
        roles:
          paused: {fg: black, bg: "#ffaf00", bold: true}
          selection: {fg: 255, bg: 24, attrs: [bold, reverse], underline: true, dim: false}
          header: {attrs: italic, blink: true}
          muted: {fg: default, bg: bright-blue}
          text:
          title: {}
        """
        let theme = try #require(loadTheme(yaml))
        #expect(theme.style(.paused) == Style(foreground: .ansi(0), background: .indexed(214), attributes: .bold))
        #expect(theme.style(.selection) == Style(foreground: .indexed(255), background: .indexed(24), attributes: [.bold, .reverse, .underline]))
        #expect(theme.style(.header) == Style(attributes: [.italic, .blink]))
        #expect(theme.style(.muted) == Style(background: .ansi(12)))
        #expect(theme.style(.text) == Style())
        #expect(theme.style(.title) == Style())
    }

    @Test func attributeProblems() {
        let yaml = """
        roles:
          title: {bold: yes}
          header: {attrs: [bolt, reverse]}
          dialog: {attrs: {bold: true}}
          selection: {bold: false, attrs: [bold]}
          edge: {colour: 242}
          stderr: {fgg: 210}
        """
        #expect(problems(yaml) == [
            "t.yaml:2:17: 'bold' of 'title' must be true or false, not 'yes'",
            "t.yaml:3:20: 'attrs' of 'header': unknown attribute 'bolt'; did you mean 'bold'? (attributes are: bold, dim, underline, reverse, italic, blink)",
            "t.yaml:4:19: 'attrs' of 'dialog' must be a list such as [bold, reverse], not a mapping",
            "t.yaml:5:35: 'attrs' of 'selection' lists 'bold', but 'bold' is set to false",
            "t.yaml:6:10: unknown key 'colour' in the style of 'edge'; did you mean 'fg'? (keys are: fg, bg, bold, dim, underline, reverse, italic, blink, attrs)",
            "t.yaml:7:12: unknown key 'fgg' in the style of 'stderr'; did you mean 'fg'? (keys are: fg, bg, bold, dim, underline, reverse, italic, blink, attrs)",
        ])
    }

    @Test func wrongShapesAreNamed() {
        #expect(problem("- dark\n- light\n") == "t.yaml:1:1: a theme file must be a mapping with keys such as 'name', 'roles' and 'glyphs', not a list")
        #expect(problem("just text\n") == "t.yaml:1:1: a theme file must be a mapping with keys such as 'name', 'roles' and 'glyphs', not 'just text'")
        #expect(problem("roles:\n  - text\n") == "t.yaml:2:3: 'roles' must be a mapping of role names to styles, not a list")
        #expect(problem("roles:\n  muted: 245\n") == "t.yaml:2:10: the style of 'muted' must be a mapping such as {fg: 255, bg: 24, bold: true}, not '245'")
        #expect(problem("roles:\n  muted: {fg: [1, 2]}\n") == "t.yaml:2:15: 'fg' of 'muted' must be a colour (use default, a name like red, 0–255, or #rrggbb), not a list")
        #expect(problem("glyphs: \"*\"\n") == "t.yaml:1:9: 'glyphs' must be a mapping of step states to characters, not '*'")
        #expect(problem("name: [a]\n") == "t.yaml:1:7: 'name' must be text, not a list")
        #expect(problem("name: \"  \"\n") == "t.yaml:1:7: 'name' must not be blank")
        #expect(problem("roles:\n  [a]: {}\n") == "t.yaml:2:3: keys in 'roles' must be names, not a list")
    }

    @Test func unknownTopLevelKeySuggests() {
        #expect(problem("name: x\nrole:\n  text: {}\n") == "t.yaml:2:1: unknown key 'role' at the top level; did you mean 'roles'? (keys are: name, description, roles, glyphs)")
    }

    // MARK: Glyphs

    @Test func glyphProblems() {
        let yaml = """
        glyphs:
          suceeded: "+"
          state.failed: "x"
          running: ">>"
          waiting: "✅"
          held: "\u{301}"
          blocked: ""
          skipped: {a: 1}
          pending:
          cancelled: "c"
        """
        #expect(problems(yaml) == [
            "t.yaml:2:3: unknown glyph state 'suceeded'; did you mean 'succeeded'?",
            "t.yaml:3:3: unknown glyph state 'state.failed'; did you mean 'failed'?",
            "t.yaml:4:12: the glyph for 'running' is '>>', 2 characters; a glyph must be one character one column wide",
            "t.yaml:5:12: the glyph for 'waiting' is '✅', which takes 2 columns; a glyph must be one character one column wide",
            "t.yaml:6:9: the glyph for 'held' is U+301, which takes 0 columns; a glyph must be one character one column wide",
            "t.yaml:7:12: the glyph for 'blocked' is empty; a glyph must be one character one column wide",
            "t.yaml:8:12: the glyph for 'skipped' must be a single character, not a mapping",
        ])
    }

    @Test func unknownGlyphStateWithoutNeighbourListsStates() {
        let states = StepState.allCases.map(\.rawValue).joined(separator: ", ")
        #expect(problem("glyphs:\n  zzz: \"z\"\n") == "t.yaml:2:3: unknown glyph state 'zzz' (states are: \(states))")
    }

    @Test func glyphsOverrideAndFallBack() throws {
        let theme = try #require(loadTheme("glyphs:\n  succeeded: \"+\"\n  failed: x\n  pending:\n"))
        #expect(theme.glyph(for: .succeeded) == "+")
        #expect(theme.glyph(for: .failed) == "x")
        #expect(theme.glyph(for: .pending) == Theme.unicodeGlyphs[.pending])
        #expect(theme.glyph(for: .running) == Theme.unicodeGlyphs[.running])
    }

    // MARK: Fallback and names

    @Test func partialThemeFallsBackToBuiltInDark() throws {
        let theme = try #require(loadTheme("roles:\n  muted: {fg: 250}\n", file: "themes/partial.yaml"))
        #expect(theme.name == "partial")
        #expect(theme.style(.muted) == Style(foreground: .indexed(250)))
        for role in ThemeRole.all where role != .muted {
            #expect(theme.style(role) == Theme.builtInDark.style(role), "\(role)")
        }
        #expect(theme.glyphs == Theme.unicodeGlyphs)
        #expect(Set(theme.styles.keys) == Set(ThemeRole.all))
    }

    @Test func nameComesFromTheFileUnlessGiven() throws {
        #expect(try #require(loadTheme("description: d\n", file: "/a/b/ocean.yaml")).name == "ocean")
        #expect(try #require(loadTheme("name: Sea\n", file: "/a/b/ocean.yaml")).name == "Sea")
        #expect(try #require(loadTheme("name:\n", file: "-")).name == "theme")
    }

    // MARK: Files and YAML




    @Test func repeatedKeysAreAllReported() {
        let yaml = """
        name: x
        roles:
          muted: {fg: 245}
          text: {fg: 246, fg: 247}
          muted: {fg: 1}
        name: y
        """
        #expect(problems(yaml) == [
            "t.yaml:4:19: duplicate key 'fg' in 'text'; it is first given at line 4, column 10",
            "t.yaml:5:3: duplicate key 'muted' in 'roles'; it is first given at line 3, column 3",
            "t.yaml:6:1: duplicate key 'name' in the top level; it is first given at line 1, column 1",
        ])
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n", "---\n", "~\n"])
    func emptyFileIsRefused(text: String) {
        #expect(problem(text) == "t.yaml:1:1: file is empty; a theme needs at least 'roles' or 'glyphs'")
    }


    @Test func hugeFileIsRefused() throws {
        let big = "# " + String(repeating: "x", count: ThemeLoader.maximumFileSize - 2) + "\n"
        #expect(problem(big) == "t.yaml:1:1: file is 1048577 bytes; a theme file may be at most 1 MiB")
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("big.yaml", big)
        do {
            _ = try ThemeLoader.load(contentsOf: path)
            Issue.record("a file over 1 MiB loaded")
        } catch {
            #expect(error.problems == ["\(path):1:1: file is 1048577 bytes; a theme file may be at most 1 MiB"])
        }
        // Exactly the limit is accepted.
        let body = "name: x\n"
        let fits = "#" + String(repeating: "x", count: ThemeLoader.maximumFileSize - body.utf8.count - 2) + "\n" + body
        #expect(fits.utf8.count == ThemeLoader.maximumFileSize)
        #expect(problems(fits) == [])
    }

    @Test func missingFileAndFolderAreNamed() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        do {
            _ = try ThemeLoader.load(contentsOf: scratch.path + "/nope.yaml")
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.problems == ["\(scratch.path)/nope.yaml:1:1: cannot read the theme file: no such file"])
        }
        do {
            _ = try ThemeLoader.load(contentsOf: scratch.path)
            Issue.record("a folder loaded")
        } catch {
            #expect(error.problems == ["\(scratch.path):1:1: cannot read the theme file: it is a directory"])
        }
    }

    @Test(.timeLimit(.minutes(1))) func aPipeNobodyWritesToAndAnEndlessDeviceDoNotHang() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let pipe = scratch.path + "/pipe.yaml"
        #expect(mkfifo(pipe, 0o600) == 0)
        do {
            _ = try ThemeLoader.load(contentsOf: pipe)
            Issue.record("an empty pipe loaded")
        } catch {
            #expect(error.problems.first?.contains("file is empty") == true, "\(error.problems)")
        }
        do {
            _ = try ThemeLoader.load(contentsOf: "/dev/zero")
            Issue.record("/dev/zero loaded")
        } catch {
            #expect(error.problems.first?.contains("a theme file may be at most 1 MiB") == true, "\(error.problems)")
        }
    }

    @Test func everyProblemIsReportedInFileOrder() throws {
        let yaml = """
        name: broken
        glyphs:
          succeded: "ok"
        roles:
          selection: {fg: 300, bg: 24, bold: true}
          state.runing: {fg: 75}
          muted: {fg: gray}
        """
        let scratch = try Scratch()
        defer { scratch.remove() }
        let path = try scratch.write("themes/x.yaml", yaml)
        do {
            _ = try ThemeLoader.load(contentsOf: path)
            Issue.record("a broken theme loaded")
        } catch {
            let expected = [
                "\(path):3:3: unknown glyph state 'succeded'; did you mean 'succeeded'?",
                "\(path):5:19: 'fg' of 'selection': '300' is not a colour (use default, a name like red, 0–255, or #rrggbb)",
                "\(path):6:3: unknown role 'state.runing'; did you mean 'state.running'?",
                "\(path):7:15: 'fg' of 'muted': 'gray' is not a colour (use default, a name like red, 0–255, or #rrggbb); for grey use bright-black or white, or 232–255 for shades from dark to light",
            ]
            #expect(error.problems == expected)
            #expect(error.description == expected.joined(separator: "\n"))
        }
    }


}
