import BatonEngine
import BatonTerminal
import Foundation

/// Opens a step's whole log in the user's pager (`$PAGER`, else `less -R`), with the console's
/// terminal handed over meanwhile and taken back after.
///
/// The pager reads a private copy in which every control character is escaped as the log pane
/// shows it, except colour (SGR) sequences, which `less -R` draws: a step's output never reaches
/// the terminal raw. Standard error lines are marked `!`, Baton's own `»`, as in the pane.
enum LogPager {
    /// The text the pager shows for `lines`.
    static func text(of lines: [OutputLine]) -> String {
        var text = ""
        for line in lines {
            let mark: String
            switch line.stream {
            case .stdout: mark = "  "
            case .stderr: mark = "! "
            case .baton: mark = "» "
            }
            text += mark + keepingColour(line) + "\n"
        }
        return text
    }

    /// The line escaped for the screen, its SGR sequences (`ESC [ … m`) kept.
    static func keepingColour(_ line: OutputLine) -> String {
        guard line.raw == nil, line.text.contains("\u{1B}[") else { return VisibleText.escape(line, limit: .max) }
        var result = ""
        var rest = Substring(line.text)
        while let escape = rest.range(of: "\u{1B}[") {
            result += VisibleText.escape(String(rest[..<escape.lowerBound]), limit: .max)
            let parameters = rest[escape.upperBound...].prefix { $0.isASCII && ($0.isNumber || $0 == ";") }
            let end = rest.index(escape.upperBound, offsetBy: parameters.count)
            if end < rest.endIndex, rest[end] == "m" {
                result += "\u{1B}[" + parameters + "m"
                rest = rest[rest.index(after: end)...]
            } else {
                result += VisibleText.escape("\u{1B}[", limit: .max)
                rest = rest[escape.upperBound...]
            }
        }
        return result + VisibleText.escape(String(rest), limit: .max)
    }

    /// Shows `lines` of step `stepID` in the pager on `backend`'s terminal and waits for it;
    /// returns what the status line says after, and whether it is an error.
    static func show(_ lines: [OutputLine], of stepID: String, backend: TerminalBackend) -> (text: String, isError: Bool) {
        let directory = NSTemporaryDirectory() + "baton-pager-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard mkdir(directory, 0o700) == 0 else {
            return ("cannot open the pager: cannot make \(directory): \(String(cString: strerror(errno)))", true)
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = "\(directory)/\(stepID.replacingOccurrences(of: "/", with: "_")).log"
        guard FileManager.default.createFile(atPath: file, contents: Data(text(of: lines).utf8), attributes: [.posixPermissions: 0o600]) else {
            return ("cannot open the pager: cannot write \(file)", true)
        }
        backend.suspend()
        let ending = ForegroundChild.run(
            "/bin/sh", name: "sh", arguments: ["-c", "exec ${PAGER:-less -R} \"$1\"", "sh", file], started: { _ in }, ended: {})
        backend.resume()
        switch ending {
        case .exited(0): return ("back from the pager", false)
        case .exited(let status): return ("the pager (\(ProcessInfo.processInfo.environment["PAGER"] ?? "less -R")) ended with exit status \(status)", true)
        case .signalled(let signal): return ("the pager ended on signal \(signal)", true)
        case .notStarted(let reason): return ("cannot start the pager: \(reason)", true)
        }
    }
}
