import Testing
@testable import BatonEngine

@Suite("DurationParser and DurationFormatter")
struct DurationParserTests {
    @Test("single units", arguments: [
        ("500ms", Duration.milliseconds(500)),
        ("30s", .seconds(30)),
        ("5m", .seconds(300)),
        ("1h", .seconds(3600)),
        ("0", .zero),
        ("0s", .zero),
    ])
    func singleUnits(text: String, expected: Duration) {
        #expect(DurationParser.parse(text) == expected)
    }

    @Test("fractions and combined parts", arguments: [
        ("1.5s", Duration.milliseconds(1500)),
        ("0.25s", .milliseconds(250)),
        ("1.5ms", .microseconds(1500)),
        ("1m30s", .seconds(90)),
        ("2h15m", .seconds(8100)),
        ("1h0m5s", .seconds(3605)),
        ("1m0.5s", .milliseconds(60_500)),
    ])
    func fractionsAndParts(text: String, expected: Duration) {
        #expect(DurationParser.parse(text) == expected)
    }

    @Test("rejects malformed, negative and unknown units", arguments: [
        "", " ", "-5s", "-0.5s", "5", "30 s", "5 minutes", "5x", "5min", "1.s", ".5s", "s", "1e3s", "1,5s",
        "1h-5m", "5S", "ms", "+5s", "99999999999999999999999h",
    ])
    func rejects(text: String) {
        #expect(DurationParser.parse(text) == nil)
    }

    @Test func rejectsValuesBeyondAbout292Years() {
        #expect(DurationParser.parse("2562047h") != nil)
        #expect(DurationParser.parse("2562048h") == nil)
    }

    @Test("formats for display", arguments: [
        (Duration.zero, "0s"),
        (.milliseconds(250), "250ms"),
        (.microseconds(1250), "1.25ms"),
        (.nanoseconds(1), "0.000001ms"),
        (.milliseconds(1500), "1.5s"),
        (.seconds(59), "59s"),
        (.seconds(120), "2m"),
        (.seconds(90), "1m30s"),
        (.milliseconds(90_500), "1m30.5s"),
        (.seconds(3600), "1h"),
        (.seconds(5400), "1h30m"),
        (.seconds(90_061), "25h1m1s"),
        (.seconds(-2), "-2s"),
    ])
    func formats(duration: Duration, expected: String) {
        #expect(DurationFormatter.format(duration) == expected)
    }

    @Test func roundsToTheMillisecondFromOneSecondUp() {
        #expect(DurationFormatter.format(.nanoseconds(1_000_400_000)) == "1s")
        #expect(DurationFormatter.format(.nanoseconds(59_999_600_000)) == "1m")
    }

    @Test func formattedTextParsesBack() {
        let samples: [Duration] = [
            .milliseconds(1), .milliseconds(999), .seconds(1), .milliseconds(1001), .seconds(61),
            .milliseconds(3_723_004), .seconds(86_400), .microseconds(3),
        ]
        for sample in samples {
            let text = DurationFormatter.format(sample)
            #expect(DurationParser.parse(text) == sample, "\(text)")
        }
    }
}
