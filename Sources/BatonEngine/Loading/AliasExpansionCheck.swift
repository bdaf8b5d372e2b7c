import Foundation
import Yams

/// Measures what a document's aliases expand to, before Yams builds the node tree that shares
/// them.
///
/// Yams resolves an alias to the very node its anchor names, so a small text can make a huge
/// or deep tree: ten aliases of ten aliases of … is a billion values, and anchors that each
/// hold an alias of the one before (`&a [*a]` repeated) nest as deep as the chain is long.
/// Yams hashes every mapping key while it composes, and the tree is released recursively, so
/// such a document hangs or overflows the stack before any later check could refuse it.
///
/// This check composes the text once with every alias made a plain scalar (`*a` becomes `~a`,
/// the same length, so every position stays), which shares nothing and is as large as the
/// text. It walks that tree in the order Yams registers anchors, remembering each anchor's
/// expanded size and depth, and reports the first place where the real tree would nest deeper
/// than ``maximumDepth`` or hold more values than the budget.
enum AliasExpansionCheck {
    /// The deepest the document may nest once its aliases are expanded: as deep as YAML
    /// nesting can go without aliases, far more than a workflow may use.
    static let maximumDepth = 1_000

    /// Whether `text` can expand an alias at all: it has both an anchor and an alias indicator.
    static func mayExpand(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(UInt8(ascii: "&")), bytes.count) != nil
                && memchr(base, Int32(UInt8(ascii: "*")), bytes.count) != nil
        }
    }

    /// The problem with the expansion of `text`'s aliases, if any; throws the YAML error that
    /// keeps the text from composing at all.
    static func check(_ text: String, file: String, budget: Int) throws -> SourceProblem? {
        let source = SourceLines(text)
        let plain = withoutAliases(source)
        guard let root = try Yams.compose(yaml: plain, .basic, .default, .utf8) else { return nil }
        var walk = Walk(source: source, budget: budget)
        guard let found = walk.run(root) else { return nil }
        switch found {
        case .tooDeep(let location):
            return SourceProblem(file: file, location: location, message: "nesting is too deep: more than \(DocumentScanner.maximumDepth) levels")
        case .tooLarge:
            return SourceProblem(
                file: file, location: SourceLocation(of: root),
                message: "the document has more than \(budget) values once its aliases are expanded; use fewer or smaller aliases"
            )
        }
    }

    /// The text with every `*` that can start an alias replaced by `~`.
    static func withoutAliases(_ source: SourceLines) -> String {
        var scalars = source.scalars
        var previous: Unicode.Scalar = " "
        for index in scalars.indices {
            let scalar = scalars[index]
            if scalar == "*", canPrecedeAToken(previous) { scalars[index] = "~" }
            previous = scalar
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Whether a node may start right after `scalar`: after white space, a line break, a
    /// byte-order mark or an indicator. Anywhere else a `*` is part of a scalar's text.
    private static func canPrecedeAToken(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case " ", "\t", "\u{FEFF}", "[", "{", ",", ":", "?", "-": return true
        default: return SourceLines.isBreak(scalar)
        }
    }

    /// Whether libyaml allows `scalar` in an anchor or alias name.
    static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "0"..."9", "A"..."Z", "a"..."z", "_", "-": return true
        default: return false
        }
    }

    /// What the walk found wrong.
    enum Finding {
        case tooDeep(SourceLocation)
        case tooLarge
    }

    /// The expanded size and depth of a node.
    private struct Extent {
        var size: Int
        var depth: Int
        static let leaf = Extent(size: 1, depth: 1)
    }

    /// A post-order walk of the alias-free tree that tracks anchors as Yams does: an anchor is
    /// registered when its node is complete, and a later anchor of the same name replaces it.
    private struct Walk {
        let source: SourceLines
        let budget: Int
        private var anchors: [String: Extent] = [:]

        init(source: SourceLines, budget: Int) {
            self.source = source
            self.budget = budget
        }

        /// A collection being walked: its children in Yams's order and what they add up to so far.
        private struct Frame {
            var node: Node
            var children: [Node]
            var next = 0
            var extent = Extent.leaf
        }

        mutating func run(_ root: Node) -> Finding? {
            guard let first = frame(for: root) else { return nil }
            var stack = [first]
            while let last = stack.indices.last {
                if stack[last].next < stack[last].children.count {
                    let child = stack[last].children[stack[last].next]
                    stack[last].next += 1
                    if let frame = frame(for: child) {
                        stack.append(frame)
                        continue
                    }
                    let extent = leaf(child)
                    if let finding = add(extent, at: child, to: &stack[last]) { return finding }
                    continue
                }
                let done = stack.removeLast()
                if let name = anchor(ofCollection: done) { anchors[name] = done.extent }
                guard let parent = stack.indices.last else { return nil }
                if let finding = add(done.extent, at: done.node, to: &stack[parent]) { return finding }
            }
            return nil
        }

        /// A frame for a collection; nil for a scalar.
        private func frame(for node: Node) -> Frame? {
            switch node {
            case .mapping(let mapping):
                var children: [Node] = []
                children.reserveCapacity(mapping.count * 2)
                var index = mapping.startIndex
                while index < mapping.endIndex {
                    let (key, value) = mapping[index]
                    children.append(key)
                    children.append(value)
                    index = mapping.index(after: index)
                }
                return Frame(node: node, children: children)
            case .sequence(let sequence):
                return Frame(node: node, children: Array(sequence))
            case .scalar, .alias:
                return nil
            }
        }

        /// Adds a child's extent to its parent's, reporting the first place that goes too far.
        private func add(_ extent: Extent, at child: Node, to parent: inout Frame) -> Finding? {
            parent.extent.size = min(budget + 1, parent.extent.size + extent.size)
            parent.extent.depth = max(parent.extent.depth, extent.depth + 1)
            if parent.extent.depth > AliasExpansionCheck.maximumDepth {
                return .tooDeep(extent.depth + 1 > AliasExpansionCheck.maximumDepth ? SourceLocation(of: child) : SourceLocation(of: parent.node))
            }
            return parent.extent.size > budget ? .tooLarge : nil
        }

        /// The extent of a scalar: what its anchor names when it was an alias. A scalar with an
        /// anchor of its own is registered.
        private mutating func leaf(_ node: Node) -> Extent {
            guard case .scalar(let scalar) = node, let mark = scalar.mark, let start = source.index(of: SourceLocation(mark)) else {
                return .leaf
            }
            let scalars = source.scalars
            if scalars[start] == "*", scalar.style == .plain {
                // A plain scalar never starts with `*`: this was an alias. An unknown name is
                // an error Yams reports itself.
                return anchors[name(after: start)] ?? .leaf
            }
            if let name = anchor(at: start) { anchors[name] = .leaf }
            return .leaf
        }

        /// The anchor of a collection, if it has one. A block mapping starts where its first
        /// key does, and properties written there belong to that key, not to the mapping.
        private func anchor(ofCollection frame: Frame) -> String? {
            guard let mark = frame.node.mark, let start = source.index(of: SourceLocation(mark)) else { return nil }
            if case .mapping = frame.node, let key = frame.children.first, SourceLocation(of: key) == SourceLocation(mark) { return nil }
            return anchor(at: start)
        }

        /// The anchor name written among the node properties that start at `start`: `&name`,
        /// possibly after a tag and white space, line breaks or comments.
        private func anchor(at start: Int) -> String? {
            let scalars = source.scalars
            var index = start
            if scalars[index] == "!" {
                while index < scalars.count, !isSpace(scalars[index]) { index += 1 }
                while index < scalars.count {
                    if isSpace(scalars[index]) {
                        index += 1
                    } else if scalars[index] == "#" {
                        while index < scalars.count, !SourceLines.isBreak(scalars[index]) { index += 1 }
                    } else {
                        break
                    }
                }
            }
            guard index < scalars.count, scalars[index] == "&" else { return nil }
            return name(after: index)
        }

        /// The name that follows the `&` or `*` at `index`.
        private func name(after index: Int) -> String {
            let scalars = source.scalars
            var end = index + 1
            while end < scalars.count, AliasExpansionCheck.isNameCharacter(scalars[end]) { end += 1 }
            return String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
        }

        private func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || SourceLines.isBreak(scalar)
        }
    }
}
