import Foundation
import Testing
@testable import BatonEngine

/// A step's output is untrusted: the log on disk keeps exactly the bytes it printed (secrets
/// masked), and lines that are not UTF-8 keep their bytes on the way to the front ends.
@Suite struct HostileOutputTests {
    typealias S = EngineTestSupport

    /// Splits chunks of bytes into (text, raw) lines.
    func split(_ chunks: [[UInt8]], maxLineBytes: Int = ProcessLineSplitter.defaultMaxLineBytes) -> [(String, [UInt8]?)] {
        var splitter = ProcessLineSplitter(maxLineBytes: maxLineBytes)
        var lines: [(String, [UInt8]?)] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { splitter.feed($0) { lines += OutputChunk.lines(in: $0, last: .max) } }
        }
        splitter.finish { lines += OutputChunk.lines(in: $0, last: .max) }
        return lines
    }

    @Test func theSplitterKeepsTheBytesOfLinesThatAreNotUTF8() {
        let lines = split([[0x6F, 0x6B, 0x0A, 0x62, 0xFF, 0x61, 0x64, 0x0A], Array("\u{1B}[31m\u{0}\n".utf8)])
        #expect(lines.count == 3)
        #expect(lines[0].0 == "ok" && lines[0].1 == nil)
        #expect(lines[1].0 == "b\u{FFFD}ad" && lines[1].1 == [0x62, 0xFF, 0x61, 0x64])
        // Escape sequences and NUL are valid UTF-8: the text is already exact.
        #expect(lines[2].0 == "\u{1B}[31m\u{0}" && lines[2].1 == nil)
        // A U+FFFD the step really printed is text, not a repair.
        let printed = split([Array("a\u{FFFD}b\n".utf8)])
        #expect(printed[0].0 == "a\u{FFFD}b" && printed[0].1 == nil)
        // A truncated four-byte sequence repairs to one U+FFFD of the same length: still caught.
        let truncated = split([[0xF0, 0x9F, 0x98, 0x0A]])
        #expect(truncated[0].1 == [0xF0, 0x9F, 0x98])
    }

    @Test func piecesOfAnOverlongLineKeepTheirBytes() {
        let lines = split([[UInt8](repeating: 0xFF, count: 10) + [0x0A]], maxLineBytes: 4)
        #expect(lines.map { $0.1 } == [[0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF, 0xFF, 0xFF], [0xFF, 0xFF]])
        #expect(lines.allSatisfy { $0.0 == String(repeating: "\u{FFFD}", count: $0.1?.count ?? -1) })
    }

    @Test func secretsAreMaskedInRawBytes() {
        let redactor = SecretRedactor(values: ["hunter2", "hunter"])
        let bytes: [UInt8] = Array("a hunter2 b ".utf8) + [0xFF] + Array("hunter".utf8)
        #expect(redactor.redact(bytes: bytes) == Array("a *** b ".utf8) + [0xFF] + Array("***".utf8))
        #expect(redactor.redact(bytes: [0xFF, 0x68]) == [0xFF, 0x68])
        #expect(SecretRedactor(values: []).redact(bytes: bytes) == bytes)
    }

    /// The lines the hostile step prints, as bytes, in order.
    static let expectedLines: [[UInt8]] = [
        Array("csi \u{1B}[31mred\u{1B}[0m".utf8),
        Array("move \u{1B}[2J\u{1B}[H\u{1B}[5;10Hx".utf8),
        Array("title \u{1B}]0;pwned-title\u{07}".utf8),
        Array("clip \u{1B}]52;c;cHduZWQ=\u{07}".utf8),
        Array("dcs \u{1B}P1$r0m\u{1B}\\".utf8),
        Array("alt \u{1B}[?1049h\u{1B}[?1049l".utf8),
        Array("c1 \u{9B}31m".utf8),
        Array("raw9b ".utf8) + [0x9B] + Array("31m".utf8),
        Array("nul a\u{0}b".utf8),
        Array("bel \u{07} bs \u{08} cr \r end".utf8),
        Array("bad ".utf8) + [0xFF, 0xFE, 0x20, 0xC3, 0x28, 0x20, 0xED, 0xA0, 0x80],
        Array("bidi \u{202E}txt\u{202C}".utf8),
        Array("secret *** ".utf8) + [0xFF],
        Array("crlf".utf8),
    ]

    /// A shell script printing every kind of hostile output with octal escapes, then a line
    /// of 1,100,002 bytes that starts and ends with a byte that is not UTF-8. (Only a few: in a
    /// test process every repaired byte costs a backtrace, which Swift Testing takes for each
    /// error the standard library's decoder throws and catches.)
    static let script = #"""
        printf 'csi \033[31mred\033[0m\n'
        printf 'move \033[2J\033[H\033[5;10Hx\n'
        printf 'title \033]0;pwned-title\007\n'
        printf 'clip \033]52;c;cHduZWQ=\007\n'
        printf 'dcs \033P1$r0m\033\\\n'
        printf 'alt \033[?1049h\033[?1049l\n'
        printf 'c1 \302\23331m\n'
        printf 'raw9b \23331m\n'
        printf 'nul a\000b\n'
        printf 'bel \007 bs \010 cr \r end\n'
        printf 'bad \377\376 \303( \355\240\200\n'
        printf 'bidi \342\200\256txt\342\200\254\n'
        printf 'secret %s \377\n' "$API_TOKEN"
        printf 'crlf\r\n'
        printf '\377'; head -c 1100000 /dev/zero | tr '\000' x; printf '\376\n'
        """#

    @Test func theLogOnDiskKeepsTheRawBytesWithSecretsMasked() async throws {
        let directory = RunDirectory(path: S.temporaryDirectory() + "/run")
        let secret = "s3cret-\(UUID().uuidString.prefix(6))"
        let engine = try await S.startedEngine(
            [S.shell("hostile", Self.script)], runDirectory: directory, secrets: ["API_TOKEN"], env: ["API_TOKEN": secret])
        let published = Task {
            var lines: [OutputLine] = []
            for await update in engine.updates { if case .output(let chunk) = update, chunk.stream == .stdout { lines += chunk.lines } }
            return lines
        }
        #expect(try await S.settle(engine) == .finished(.succeeded))
        _ = await engine.waitUntilFinished()

        let path = directory.logsPath + "/hostile.log"
        let whole = try Data(contentsOf: URL(fileURLWithPath: path))
        // Baton's opening and closing lines of the attempt frame what the step printed.
        let opening = try #require(whole.firstIndex(of: 0x0A))
        let closing = try #require(whole.dropLast().lastIndex(of: 0x0A))
        #expect(AttemptMarker.isOpening(String(decoding: whole[..<opening], as: UTF8.self)))
        #expect(String(decoding: whole[(closing + 1)...], as: UTF8.self).hasPrefix("attempt 1 ended: exit 0 after "))
        let log = whole[(opening + 1)...closing]
        #expect(log.range(of: Data(secret.utf8)) == nil, "the secret reached the log")
        // The log is exactly what the step printed, the CR before LF included, with the
        // secret masked; the 1,100,002-byte line is whole.
        let long = [0xFF] + [UInt8](repeating: 0x78, count: 1_100_000) + [0xFE]
        var printed: [UInt8] = []
        for line in Self.expectedLines.dropLast() { printed += line + [0x0A] }
        printed += Array("crlf\r\n".utf8) + long + [0x0A]
        #expect(log.count == printed.count)
        #expect(Array(log) == printed, "the log is not what the step printed")
        // The front ends get the bytes of lines that are not UTF-8, masked, and text otherwise.
        let lines = await published.value
        // They got the long line in two pieces: 1 MiB, then the rest.
        let first = 1 << 20
        #expect(lines.suffix(2).map { $0.raw ?? [] } == [Array(long.prefix(first)), Array(long.dropFirst(first))])
        #expect(lines.count == Self.expectedLines.count + 2)
        for (line, expected) in zip(lines, Self.expectedLines) {
            if let raw = line.raw {
                #expect(raw == expected)
                #expect(String(validating: expected, as: UTF8.self) == nil, "raw bytes kept for a valid line")
            } else {
                #expect(Array(line.text.utf8) == expected)
            }
        }
        #expect(lines.contains { $0.raw == Array("secret *** ".utf8) + [0xFF] && $0.text == "secret *** \u{FFFD}" })
        // Reading the log back (resume, replay) gives the same lines, bytes and all.
        let read = StepLogStore.readLines(path: path, stepID: "hostile").filter { $0.stream == .stdout }
        #expect(read.map(\.text) == lines.map(\.text))
        #expect(read.map(\.raw) == lines.map(\.raw))
    }
}
