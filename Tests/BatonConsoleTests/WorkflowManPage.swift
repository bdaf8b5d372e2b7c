/// Renders docs/workflow-format.md as the `baton-workflow(5)` manual page (man(7) macros),
/// so that the page in docs/man is made from the format doc and cannot drift from it.
///
/// It knows the Markdown the doc uses: headings, paragraphs, fenced code, bullet and numbered
/// lists, tables (a row becomes a tagged paragraph: the first cell, then the others with their
/// column's name), and inline code, bold, emphasis and links (their text stays).
enum WorkflowManPage {
    static func render(markdown: String) -> String {
        var page = [
            #".\" Made from docs/workflow-format.md by WorkflowManPage (Tests/BatonConsoleTests); do not edit."#,
            #".TH BATON-WORKFLOW 5 "" "Baton" "File Formats""#,
            ".SH NAME",
            #"baton-workflow \- the workflow file format of baton(1)"#,
            ".SH DESCRIPTION",
        ]
        let lines = markdown.components(separatedBy: "\n")
        var index = 0
        var tableHeader: [String]?
        // The lines of the paragraph or list item being read: inline marks may span them.
        var text: [String] = []
        // Whether the next text line opens a paragraph (after a heading, a blank line, a block).
        var opensParagraph = false
        func endText() {
            if !text.isEmpty { page.append(inline(text.joined(separator: " "))) }
            text = []
        }
        while index < lines.count {
            let line = lines[index]
            index += 1
            let trimmed = line.trimmingWhitespace()
            if !line.hasPrefix("|") { tableHeader = nil }
            if line.hasPrefix("```") {
                endText()
                page += [".PP", ".RS 4", ".nf"]
                while index < lines.count, !lines[index].hasPrefix("```") {
                    page.append(literal(lines[index]))
                    index += 1
                }
                index += 1
                page += [".fi", ".RE"]
                opensParagraph = true
            } else if line.hasPrefix("|") {
                endText()
                let cells = tableCells(line)
                if tableHeader == nil {
                    tableHeader = cells
                } else if !cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) {
                    page += tableRow(cells, header: tableHeader ?? [])
                }
                opensParagraph = true
            } else if trimmed.isEmpty {
                endText()
                opensParagraph = true
            } else if let level = headingLevel(line) {
                endText()
                if level == 1 { continue }
                // A heading is plain text: roff's fonts do not survive the capitals of a section name.
                let title = line.dropFirst(level + 1).replacingOccurrences(of: "`", with: "")
                page.append(level == 2 ? ".SH \"\(escaped(title.uppercased()))\"" : ".SS \"\(escaped(title))\"")
                opensParagraph = false
            } else if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                endText()
                page.append(".IP \\(bu \(line.count - trimmed.count + 2)")
                text = [String(trimmed.dropFirst(2))]
                opensParagraph = false
            } else if let number = trimmed.prefix(while: \.isNumber).nilIfEmpty, trimmed.dropFirst(number.count).hasPrefix(". ") {
                endText()
                page.append(".IP \(number). 4")
                text = [String(trimmed.dropFirst(number.count + 2))]
                opensParagraph = false
            } else {
                if opensParagraph { page.append(".PP") }
                text.append(trimmed)
                opensParagraph = false
            }
        }
        endText()
        return page.joined(separator: "\n") + "\n"
    }

    /// The level of a heading line (`## Steps` is 2), or nil.
    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        return hashes > 0 && line.dropFirst(hashes).hasPrefix(" ") ? hashes : nil
    }

    /// A table row as a tagged paragraph: the first cell is the tag; the middle cells follow
    /// with their column names; the last cell (the meaning) ends it.
    private static func tableRow(_ cells: [String], header: [String]) -> [String] {
        guard let tag = cells.first else { return [] }
        var parts: [String] = []
        for (column, cell) in cells.enumerated().dropFirst() where !cell.isEmpty {
            let name = header.indices.contains(column) ? header[column] : ""
            parts.append(column == cells.count - 1 || name.isEmpty ? cell : "\(name): \(cell).")
        }
        return [".TP", inline(tag), inline(parts.joined(separator: " "))]
    }

    /// The cells of a table row, split at the pipes outside code spans (`\|` is a pipe in a cell).
    private static func tableCells(_ line: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var inCode = false
        var characters = Array(line.trimmingWhitespace())
        if characters.first == "|" { characters.removeFirst() }
        var position = 0
        while position < characters.count {
            let character = characters[position]
            if character == "\\", position + 1 < characters.count, characters[position + 1] == "|" {
                cell.append("|")
                position += 2
                continue
            }
            if character == "`" { inCode.toggle() }
            if character == "|" && !inCode {
                cells.append(cell.trimmingWhitespace())
                cell = ""
            } else {
                cell.append(character)
            }
            position += 1
        }
        if !cell.trimmingWhitespace().isEmpty { cells.append(cell.trimmingWhitespace()) }
        return cells
    }

    /// A line of code, shown as it is.
    private static func literal(_ text: String) -> String {
        protectingLineStart(escaped(text))
    }

    /// Markdown's inline marks as roff fonts: code and bold in bold, emphasis in italics;
    /// a link keeps its text.
    private static func inline(_ text: String) -> String {
        var out = ""
        let characters = Array(text)
        var position = 0
        var bold = false
        var italic = false
        func font() -> String { bold ? "\\fB" : italic ? "\\fI" : "\\fR" }
        while position < characters.count {
            let character = characters[position]
            if character == "`", let end = characters[(position + 1)...].firstIndex(of: "`") {
                out += "\\fB" + escaped(String(characters[(position + 1)..<end])) + font()
                position = end + 1
            } else if character == "*", position + 1 < characters.count, characters[position + 1] == "*" {
                bold.toggle()
                out += font()
                position += 2
            } else if character == "*" || (character == "_" && isEmphasisMark(characters, position, open: !italic)) {
                italic.toggle()
                out += font()
                position += 1
            } else if character == "[", let close = characters[position...].firstIndex(of: "]"),
                      close + 1 < characters.count, characters[close + 1] == "(",
                      let end = characters[(close + 1)...].firstIndex(of: ")") {
                out += inline(String(characters[(position + 1)..<close]))
                position = end + 1
            } else {
                out += escaped(String(character))
                position += 1
            }
        }
        return protectingLineStart(out)
    }

    /// Whether an underscore opens or closes emphasis (`_word_`), not one inside a name (`on_failure`).
    private static func isEmphasisMark(_ characters: [Character], _ position: Int, open: Bool) -> Bool {
        let before = position > 0 ? characters[position - 1] : " "
        let after = position + 1 < characters.count ? characters[position + 1] : " "
        return open ? !before.isLetter && !before.isNumber && after.isLetter : before.isLetter && !after.isLetter && !after.isNumber
    }

    /// Text with roff's escape character and hyphens escaped.
    private static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
    }

    /// A line that starts with a control character (`.` or `'`) is text, not a request.
    private static func protectingLineStart(_ line: String) -> String {
        line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : line
    }
}

private extension String {
    func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

private extension Substring {
    var nilIfEmpty: Substring? { isEmpty ? nil : self }
}
