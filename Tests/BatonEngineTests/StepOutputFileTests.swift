import Foundation
import Testing

@testable import BatonEngine

@Suite("StepOutputFile")
struct StepOutputFileTests {
    let scratch = ExecScratchDirectory()

    @Test func parsesKeyValueLines() {
        let text = """
            version=1.2.3
            # a comment
               # an indented comment

            url=http://host/?a=b&c=d
            empty=
            spaced= keeps spaces 
            _under_score9=x
            """
        #expect(
            StepOutputFile.parse(text) == [
                "version": "1.2.3", "url": "http://host/?a=b&c=d", "empty": "", "spaced": " keeps spaces ",
                "_under_score9": "x",
            ])
    }

    @Test func lastValueWinsAndCRLFIsAccepted() {
        #expect(StepOutputFile.parse("a=1\r\na=2\r\nb=3\r\n") == ["a": "2", "b": "3"])
    }

    @Test func skipsAndReportsBadLines() {
        let text = "good=1\nno equals here\n9lives=x\nbad-key=y\n=novalue\nkey with space=z\nfine=2"
        #expect(StepOutputFile.parse(text) == ["good": "1", "fine": "2"])
        let problems = StepOutputFile.parseReporting(text).problems
        #expect(problems.count == 5)
        #expect(problems[0] == "line 2 has no '='")
        #expect(problems[1] == "line 3: '9lives' is not a valid name")
        #expect(problems[2] == "line 4: 'bad-key' is not a valid name")
    }

    @Test func limitsTheNumberOfReportedProblems() {
        let text = (1...12).map { "bad line \($0)" }.joined(separator: "\n")
        let problems = StepOutputFile.parseReporting(text).problems
        #expect(problems.count == 6)
        #expect(problems.last == "and 7 more")
    }

    @Test func validatesKeys() {
        #expect(StepOutputFile.isValidKey("a"))
        #expect(StepOutputFile.isValidKey("_"))
        #expect(StepOutputFile.isValidKey("A_b9"))
        #expect(!StepOutputFile.isValidKey(""))
        #expect(!StepOutputFile.isValidKey("9a"))
        #expect(!StepOutputFile.isValidKey("a.b"))
        #expect(!StepOutputFile.isValidKey(" a"))
        #expect(!StepOutputFile.isValidKey("é"))
    }

    @Test func aMissingFileMeansNoOutputs() {
        let result = StepOutputFile.read(path: "\(scratch.path)/does-not-exist")
        #expect(result.outputs.isEmpty)
        #expect(result.problem == nil)
    }

    @Test func readsAFile() throws {
        let path = "\(scratch.path)/outputs"
        try "name=baton\nbroken\n".write(toFile: path, atomically: true, encoding: .utf8)
        let result = StepOutputFile.read(path: path)
        #expect(result.outputs == ["name": "baton"])
        #expect(result.problem == "the output file \(path) has lines that were ignored: line 2 has no '='")
    }

    @Test func refusesAFileOverOneMebibyte() throws {
        let path = "\(scratch.path)/huge"
        let line = "key=" + String(repeating: "v", count: 1000) + "\n"
        try String(repeating: line, count: 1100).write(toFile: path, atomically: true, encoding: .utf8)
        let result = StepOutputFile.read(path: path)
        #expect(result.outputs.isEmpty)
        #expect(result.problem?.contains("1 MiB") == true)
    }

    @Test func acceptsAFileOfExactlyOneMebibyte() throws {
        let path = "\(scratch.path)/limit"
        let prefix = "key="
        let text = prefix + String(repeating: "v", count: StepOutputFile.maximumSize - prefix.utf8.count)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = StepOutputFile.read(path: path)
        #expect(result.problem == nil)
        #expect(result.outputs["key"]?.utf8.count == StepOutputFile.maximumSize - prefix.utf8.count)
    }

    @Test func reportsADirectory() {
        let result = StepOutputFile.read(path: scratch.path)
        #expect(result.outputs.isEmpty)
        #expect(result.problem?.contains("is a directory") == true)
    }

    @Test func toleratesInvalidUTF8() throws {
        let path = "\(scratch.path)/binary"
        try Data([0x61, 0x3D, 0xFF, 0x62, 0x0A]).write(to: URL(fileURLWithPath: path))
        #expect(StepOutputFile.read(path: path).outputs == ["a": "\u{FFFD}b"])
    }
}
