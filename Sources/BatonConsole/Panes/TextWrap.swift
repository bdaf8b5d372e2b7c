import BatonTerminal

/// Breaks text into rows of at most a given number of columns, at spaces where it can.
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
            if let space = head.lastIndex(of: " "), head.distance(from: head.startIndex, to: space) > width / 3 {
                cut = head.distance(from: head.startIndex, to: space) + 1
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
