import BatonTerminal

/// A line of text with a cursor, edited as a shell edits its command line.
///
/// The cursor counts characters (grapheme clusters), so no edit splits one: an emoji, a wide
/// CJK character or a letter with its combining marks moves and is deleted as one. It is a
/// value kept in the console's state, not in a view, so what is typed and where the cursor
/// stands survive every redraw and resize. The keys it takes are `LineEdit`'s and typed
/// characters.
public struct LineEditor: Sendable, Hashable {
    /// What is typed.
    public private(set) var text: String
    /// Where the cursor stands, in characters from the start: 0 before the first, `text.count`
    /// after the last.
    public private(set) var cursor: Int
    /// The most characters the text may hold; what is typed past it is dropped.
    public let limit: Int

    /// A line holding `text` (cut to `limit` characters), with the cursor at its end.
    public init(_ text: String = "", limit: Int = .max) {
        self.limit = max(0, limit)
        self.text = String(text.prefix(self.limit))
        cursor = self.text.count
    }

    /// Whether nothing is typed.
    public var isEmpty: Bool { text.isEmpty }

    /// Applies a key: a typed character is inserted at the cursor, an editing key (`LineEdit`)
    /// moves the cursor or deletes. Returns whether the key was one of those, so the caller
    /// knows it was taken even when it changed nothing (← at the start); other keys (Enter,
    /// Esc, Tab, ↑) are left to the caller.
    @discardableResult
    public mutating func apply(_ key: Key) -> Bool {
        if case .character(let character) = key {
            insert(character)
            return true
        }
        guard let edit = LineEdit(key: key) else { return false }
        apply(edit)
        return true
    }

    /// Makes one edit.
    public mutating func apply(_ edit: LineEdit) {
        let (before, after) = halves
        switch edit {
        case .moveLeft: cursor = max(0, cursor - 1)
        case .moveRight: cursor = min(text.count, cursor + 1)
        case .moveToStart: cursor = 0
        case .moveToEnd: cursor = text.count
        case .deleteBackward: if !before.isEmpty { join(before.dropLast(), after) }
        case .deleteForward: if !after.isEmpty { join(before, after.dropFirst()) }
        case .deleteToStart: join("", after)
        case .deleteToEnd: join(before, "")
        case .deleteWordBackward:
            // As a shell's Ctrl-W: the spaces before the cursor, then the word before them.
            var start = before.endIndex
            while start > before.startIndex, before[before.index(before: start)].isWhitespace { start = before.index(before: start) }
            while start > before.startIndex, !before[before.index(before: start)].isWhitespace { start = before.index(before: start) }
            join(before[..<start], after)
        }
    }

    /// Inserts a character at the cursor and moves the cursor past it. Control characters are
    /// dropped (a field holds one line of printable text), and so is a character that would
    /// take the text past `limit`.
    public mutating func insert(_ character: Character) {
        guard !character.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return }
        let (before, after) = halves
        let head = String(before) + String(character)
        // A combining mark joins the character before it, so the count may not grow.
        guard (head + after).count <= limit else { return }
        join(head, after)
    }

    /// Inserts text at the cursor, as `insert(_:)` does each of its characters, and moves the
    /// cursor past it; what would take the text past `limit` is left out.
    public mutating func insert(contentsOf text: some StringProtocol) {
        let printable = text.filter { !$0.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) }
        let (before, after) = halves
        let characters = Array(printable)
        // The longest start of it that fits. Combining marks may join the characters around
        // them, so what fits is counted whole rather than worked out.
        func fits(_ count: Int) -> Bool { (String(before) + String(characters[..<count]) + after).count <= limit }
        var low = 0, high = characters.count
        while low < high {
            let middle = (low + high + 1) / 2
            if fits(middle) { low = middle } else { high = middle - 1 }
        }
        guard low > 0 else { return }
        join(String(before) + String(characters[..<low]), after)
    }

    /// The text on each side of the cursor.
    private var halves: (Substring, Substring) {
        let split = text.index(text.startIndex, offsetBy: cursor)
        return (text[..<split], text[split...])
    }

    /// Makes the text `head` followed by `tail`, with the cursor between them. Where the two
    /// join into one character (a combining mark after the cursor, the halves of a flag), the
    /// cursor goes after it, so it never stands inside a character.
    private mutating func join(_ head: some StringProtocol, _ tail: some StringProtocol) {
        let joined = String(head) + String(tail)
        let headScalars = head.unicodeScalars.count
        var scalars = 0
        var position = 0
        for character in joined {
            if scalars >= headScalars { break }
            scalars += character.unicodeScalars.count
            position += 1
        }
        text = joined
        cursor = position
    }
}

extension LineEditor {
    /// What a field shows of a line: a stretch of its text that fits, and where the cursor is.
    public struct Window: Sendable, Hashable {
        /// The whole characters shown, at most the field's width in columns.
        public var text: String
        /// The cursor's column in the field, from 0.
        public var cursorColumn: Int
        /// The columns the cursor covers: the character under it (2 for a wide one), or 1 at
        /// the end of the text; 0 in a field with no room.
        public var cursorWidth: Int
    }

    /// What a field `width` columns wide shows: the text from the start while the cursor fits,
    /// else scrolled so the cursor stays in view, with up to a quarter of the field of what
    /// follows it after it.
    public func window(width: Int) -> Window {
        guard width > 0 else { return Window(text: "", cursorColumn: 0, cursorWidth: 0) }
        let characters = Array(text)
        let widths = characters.map(Self.columns)
        let before = widths[..<cursor].reduce(0, +)
        let under = cursor < widths.count ? widths[cursor] : 0
        let after = widths[cursor...].reduce(0, +) - under
        let cursorWidth = max(1, under)
        let room = before + cursorWidth + min(after, width / 4)
        var start = 0
        var skipped = 0
        while start < cursor, room - skipped > width {
            skipped += widths[start]
            start += 1
        }
        var shown = ""
        var used = 0
        for index in start..<characters.count {
            if used + widths[index] > width { break }
            shown.append(characters[index])
            used += widths[index]
        }
        let column = before - skipped
        return Window(text: shown, cursorColumn: column, cursorWidth: max(0, min(cursorWidth, width - column)))
    }

    /// Draws the line into a field `width` columns wide at (`x`, `y`): what `window(width:)`
    /// shows, in `style`, and when `showsCursor`, the cursor's cell in `style` reversed (so it
    /// shows in a theme whose style is reversed already). Returns the window drawn.
    @discardableResult
    public func draw(into buffer: inout Buffer, x: Int, y: Int, width: Int, style: Style, showsCursor: Bool) -> Window {
        let window = window(width: width)
        buffer.write(window.text, x: x, y: y, style: style, clip: Rect(x: x, y: y, width: max(0, width), height: 1))
        if showsCursor {
            var cursorStyle = style
            cursorStyle.attributes.formSymmetricDifference(.reverse)
            buffer.setStyle(cursorStyle, to: Rect(x: x + window.cursorColumn, y: y, width: window.cursorWidth, height: 1))
        }
        return window
    }

    /// The columns a character takes when drawn: a `Buffer` draws a character it will not send
    /// to the terminal (a bidi control) as one `?`.
    private static func columns(_ character: Character) -> Int {
        character.unicodeScalars.contains(where: Buffer.isUnsafe) ? 1 : TextWidth.of(character)
    }
}
