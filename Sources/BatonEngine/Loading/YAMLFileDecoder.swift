import Yams

/// A decoder of one YAML file that reports each problem where it reads it: how the theme and
/// the console config decoders read a mapping's entries and plain values, written once over
/// `YAMLValue`. The workflow decoder reads its own way (field labels, its field tables).
package protocol YAMLFileDecoder {
    /// The original text of repeated keys `YAMLComposer` renamed, by position.
    var renamedKeys: [SourceLocation: String] { get }
    /// Records a problem at `node`.
    mutating func report(_ message: String, at node: Node)
}

extension YAMLFileDecoder {
    /// The entries of a mapping with text keys (`YAMLValue.namedEntries`), each problem reported.
    package mutating func entries(of node: Node, in place: String) -> [YAMLValue.NamedEntry] {
        var problems: [(String, Node)] = []
        let renamedKeys = self.renamedKeys
        let entries = YAMLValue.namedEntries(of: node, in: place, renamed: { renamedKeys[SourceLocation(of: $0)] }) { problems.append(($0, $1)) }
        for (message, node) in problems { report(message, at: node) }
        return entries
    }

    /// True for an empty value (`YAMLValue.isNull`).
    package func isNull(_ node: Node) -> Bool { YAMLValue.isNull(node) }

    /// Text (`YAMLValue.text`).
    package mutating func string(_ node: Node, what: String) -> String? {
        YAMLValue.text(node, what) { report($0, at: node) }
    }

    /// `true` or `false` (`YAMLValue.boolean`): an empty value is not given.
    package mutating func bool(_ node: Node, what: String) -> Bool? {
        YAMLValue.boolean(node, what) { report($0, at: node) }
    }

    /// How a node reads in a message (`YAMLValue.describe`).
    package func describe(_ node: Node) -> String { YAMLValue.describe(node) }
}
