import BatonTerminal

/// Breaks text into rows of at most a given number of columns, at spaces where it can.
///
/// A row ends at its last space when the word after it fits on a row of its own (so
/// `needs: approve-release` breaks after `needs:`, not inside the id), or when the space is
/// past a third of the row; a word longer than a row is cut where the row ends.
public enum TextWrap {
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if TextWidth.of(text) <= width { return [text] }
        var rows: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let (head, _) = TextWidth.prefix(String(rest), fitting: width)
            if head.count >= rest.count {
                rows.append(String(rest))
                break
            }
            var cut = head.count
            if let space = head.lastIndex(of: " ") {
                let offset = head.distance(from: head.startIndex, to: space)
                // The word the space would carry to the next row, whole.
                let next = rest.dropFirst(offset + 1).prefix { $0 != " " }
                if offset > width / 3 || (offset > 0 && TextWidth.of(String(next)) <= width) {
                    cut = offset + 1
                }
            }
            if cut == 0 { cut = 1 }
            let end = rest.index(rest.startIndex, offsetBy: cut)
            rows.append(String(rest[..<end]).trimmingTrailingSpaces())
            rest = rest[end...]
        }
        return rows
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.hasSuffix(" ") { copy.removeLast() }
        return copy
    }
}
