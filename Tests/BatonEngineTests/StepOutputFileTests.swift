import Foundation
import Testing

@testable import BatonEngine

@Suite("StepOutputFile")
struct StepOutputFileTests {
    let scratch = ExecScratchDirectory()

    /// The outputs of `text` as step `build` wrote them, or the message of the error it is.
    private func parsed(_ text: String) -> Result<[String: String], StepOutputError> {
        Result { () throws(StepOutputError) in try StepOutputFile.parse(text, step: "build") }
    }

    private func message(_ text: String) -> String? {
        guard case .failure(let error) = parsed(text) else { return nil }
        return error.message
    }

    @Test func parsesKeyValueLines() throws {
        let text = """
            version=1.2.3
            # a comment
               # an indented comment

            url=http://host/?a=b&c=d
            empty=
            spaced= keeps spaces 
            _under_score9=x
            my-key=dashed
            image.tag=dotted
            A-b.c_9=all
            """
        #expect(
            try StepOutputFile.parse(text, step: "build") == [
                "version": "1.2.3", "url": "http://host/?a=b&c=d", "empty": "", "spaced": " keeps spaces ",
                "_under_score9": "x", "my-key": "dashed", "image.tag": "dotted", "A-b.c_9": "all",
            ])
    }

    @Test func lastValueWinsAndCRLFIsAccepted() throws {
        #expect(try StepOutputFile.parse("a=1\r\na=2\r\nb=3\r\n", step: "s") == ["a": "2", "b": "3"])
    }

    @Test func readsMultiLineValuesBetweenDelimiters() throws {
        let text = """
            notes<<EOF
            first line
              indented = with equals

            after a blank line
            EOF
            empty<<END
            END
            single=one
            crlf<<X\r
            a\r
            b\r
            X\r
            url=http://x/?a<<b
            odd<<a=b
            value
            a=b
            """
        #expect(
            try StepOutputFile.parse(text, step: "s") == [
                "notes": "first line\n  indented = with equals\n\nafter a blank line",
                "empty": "",
                "single": "one",
                "crlf": "a\nb",
                // '=' before '<<' makes the line key=value; '<<' first makes it a block.
                "url": "http://x/?a<<b",
                "odd": "value",
            ])
    }

    @Test func aDelimiterEndsTheBlockOnlyOnALineOfItsOwn() throws {
        let text = "k<<EOF\nEOF with more\n EOF\nEOFX\nEOF\n"
        #expect(try StepOutputFile.parse(text, step: "s") == ["k": "EOF with more\n EOF\nEOFX"])
    }

    /// Every kind of line that cannot be taken, and the message it fails the step with.
    @Test(arguments: [
        ("good=1\nno equals here\n", #"line 2 is not key=value: "no equals here""#),
        ("9lives=x", #"line 1 is not key=value (the key "9lives" does not start with a letter or '_'): "9lives=x""#),
        ("a/b=x", #"line 1 is not key=value (the key "a/b" holds a character other than letters, digits, '_', '-' and '.'): "a/b=x""#),
        ("=novalue", #"line 1 is not key=value (nothing comes before it): "=novalue""#),
        ("key = value", #"line 1 is not key=value (the key "key " has blanks around it; write it with none): "key = value""#),
        ("key with space=z", #"line 1 is not key=value (the key "key with space" holds a blank): "key with space=z""#),
        ("é=1", #"line 1 is not key=value (the key "é" does not start with a letter or '_'): "é=1""#),
        ("\n\n  \tjust words", #"line 3 is not key=value: "  \tjust words""#),
        ("x=1\nnotes<<EOF\nline\n", #"line 2 begins a multi-line value of 'notes' with "notes<<EOF", but no line "EOF" ends it"#),
        ("notes<<EOF\nline\neof\n EOF", #"line 1 begins a multi-line value of 'notes' with "notes<<EOF", but no line "EOF" ends it"#),
        ("notes<<", #"line 1 is not key<<DELIMITER (nothing follows '<<'): "notes<<""#),
        ("<<EOF\nx\nEOF", #"line 1 is not key<<DELIMITER (nothing comes before it): "<<EOF""#),
        ("bad key<<EOF\nx\nEOF", #"line 1 is not key<<DELIMITER (the key "bad key" holds a blank): "bad key<<EOF""#),
        ("title \u{1B}]0;pwned\u{07} \"q\" \\", #"line 1 is not key=value: "title \u{1B}]0;pwned\u{7} \"q\" \\""#),
        ("bidi \u{202E}txt", #"line 1 is not key=value: "bidi \u{202E}txt""#),
    ])
    func refusesWhatIsNotAnOutput(text: String, expected: String) {
        #expect(message(text) == expected)
    }

    @Test func aLongBadLineIsCut() {
        let line = String(repeating: "x", count: 5000)
        let expected = "line 1 is not key=value: \"" + String(repeating: "x", count: StepOutputFile.shownLineLength) + "…\""
        #expect(message(line) == expected)
    }

    @Test func theFirstBadLineIsTheOneReported() {
        guard case .failure(let error) = parsed("ok=1\nfirst bad\nsecond bad\n") else {
            Issue.record("bad lines were accepted")
            return
        }
        #expect(error.line == 2)
        #expect(error.description == #"the output file line 2 is not key=value: "first bad""#)
    }

    @Test func twoKeysForOneVariableFailNamingBoth() throws {
        #expect(
            message("my-key=1\nother=2\nmy_key=3\n")
                == "sets 'my-key' (line 1) and 'my_key' (line 3), which would both be $STEPS_BUILD_OUTPUTS_MY_KEY; rename one")
        #expect(
            message("a.b=1\nA-B=2\n")
                == "sets 'a.b' (line 1) and 'A-B' (line 2), which would both be $STEPS_BUILD_OUTPUTS_A_B; rename one")
        // The same key twice is no clash: the last value wins.
        #expect(try StepOutputFile.parse("v=1\nv=2\n", step: "build") == ["v": "2"])
    }

    @Test func namesTheVariables() {
        #expect(StepOutputFile.variableName(step: "build-image", key: "version") == "STEPS_BUILD_IMAGE_OUTPUTS_VERSION")
        #expect(StepOutputFile.variableName(step: "b", key: "my-key") == "STEPS_B_OUTPUTS_MY_KEY")
        #expect(StepOutputFile.variableName(step: "b", key: "image.tag") == "STEPS_B_OUTPUTS_IMAGE_TAG")
        #expect(Engine.outputVariable(step: "b", key: "a.b-c") == "STEPS_B_OUTPUTS_A_B_C")
    }

    @Test func validatesKeys() {
        #expect(StepOutputFile.isValidKey("a"))
        #expect(StepOutputFile.isValidKey("_"))
        #expect(StepOutputFile.isValidKey("A_b9"))
        #expect(StepOutputFile.isValidKey("my-key"))
        #expect(StepOutputFile.isValidKey("a.b"))
        #expect(StepOutputFile.isValidKey("_x.y-z.9"))
        #expect(!StepOutputFile.isValidKey(""))
        #expect(!StepOutputFile.isValidKey("9a"))
        #expect(!StepOutputFile.isValidKey("-a"))
        #expect(!StepOutputFile.isValidKey(".a"))
        #expect(!StepOutputFile.isValidKey(" a"))
        #expect(!StepOutputFile.isValidKey("a b"))
        #expect(!StepOutputFile.isValidKey("a/b"))
        #expect(!StepOutputFile.isValidKey("é"))
    }

    @Test func aMissingFileMeansNoOutputs() throws {
        #expect(try StepOutputFile.read(path: "\(scratch.path)/does-not-exist", step: "s").isEmpty)
    }

    @Test func readsAFile() throws {
        let path = "\(scratch.path)/outputs"
        try "name=baton\nlog<<END\none\ntwo\nEND\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try StepOutputFile.read(path: path, step: "s") == ["name": "baton", "log": "one\ntwo"])
    }

    @Test func aFileWithABadLineIsAnError() throws {
        let path = "\(scratch.path)/outputs"
        try "name=baton\nbroken\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StepOutputError(line: 2, #"line 2 is not key=value: "broken""#)) {
            try StepOutputFile.read(path: path, step: "s")
        }
    }

    @Test func refusesAFileOverOneMebibyte() throws {
        let path = "\(scratch.path)/huge"
        let line = "key=" + String(repeating: "v", count: 1000) + "\n"
        try String(repeating: line, count: 1100).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: StepOutputError("is 1105500 bytes, more than the 1 MiB limit")) {
            try StepOutputFile.read(path: path, step: "s")
        }
    }

    @Test func acceptsAFileOfExactlyOneMebibyte() throws {
        let path = "\(scratch.path)/limit"
        let prefix = "key="
        let text = prefix + String(repeating: "v", count: StepOutputFile.maximumSize - prefix.utf8.count)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let outputs = try StepOutputFile.read(path: path, step: "s")
        #expect(outputs["key"]?.utf8.count == StepOutputFile.maximumSize - prefix.utf8.count)
    }

    @Test func refusesADirectory() {
        #expect(throws: StepOutputError("is a directory")) {
            try StepOutputFile.read(path: scratch.path, step: "s")
        }
    }

    @Test func toleratesInvalidUTF8() throws {
        let path = "\(scratch.path)/binary"
        try Data([0x61, 0x3D, 0xFF, 0x62, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(try StepOutputFile.read(path: path, step: "s") == ["a": "\u{FFFD}b"])
    }
}
