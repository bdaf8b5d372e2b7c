import Foundation
import Yams

/// A composed YAML document as JSON text, read as an editor's YAML language server reads it:
/// YAML 1.2's core schema, where a plain `3` is a number, `true` a boolean, `~` null and
/// `yes` a string, and anything quoted is a string. The schema tests validate this JSON.
enum CoreSchemaJSON {
    /// The JSON text of `node` on one line; nil when JSON cannot say it as an editor would read
    /// it: an alias, a tag (`!!int 3`, `!custom`; Yams gives `!!str` and `!!null` to untagged
    /// scalars too, so those are read as untagged), a key that is not a scalar, a key given
    /// twice once read as text, or an integer too large to write exactly.
    static func text(of node: Node) -> String? {
        var output = ""
        return write(node, to: &output) ? output : nil
    }

    private static func write(_ node: Node, to output: inout String) -> Bool {
        switch node {
        case .scalar(let scalar):
            guard let value = value(of: scalar) else { return false }
            output += value
            return true
        case .sequence(let sequence):
            output += "["
            for (index, item) in sequence.enumerated() {
                if index > 0 { output += "," }
                guard write(item, to: &output) else { return false }
            }
            output += "]"
            return true
        case .mapping(let mapping):
            output += "{"
            var seen: Set<String> = []
            for (index, (key, value)) in mapping.enumerated() {
                guard case .scalar(let keyScalar) = key, isUntagged(keyScalar), seen.insert(keyScalar.string).inserted else { return false }
                if index > 0 { output += "," }
                output += quoted(keyScalar.string) + ":"
                guard write(value, to: &output) else { return false }
            }
            output += "}"
            return true
        case .alias:
            return false
        }
    }

    /// Whether the scalar carries no tag of its own: the tag Yams gives it is one a plain or
    /// quoted scalar gets without one.
    private static func isUntagged(_ scalar: Node.Scalar) -> Bool {
        let tag = scalar.tag.rawValue
        return tag.isEmpty || tag == "!" || tag == "?" || tag == Tag.Name.str.rawValue || tag == Tag.Name.null.rawValue
    }

    private static func value(of scalar: Node.Scalar) -> String? {
        guard isUntagged(scalar) else { return nil }
        let text = scalar.string
        guard scalar.style == .plain || scalar.style == .any else { return quoted(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return "null"
        case "true", "True", "TRUE": return "true"
        case "false", "False", "FALSE": return "false"
        case ".nan", ".NaN", ".NAN": return "NaN"
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return "Infinity"
        case "-.inf", "-.Inf", "-.INF": return "-Infinity"
        default: break
        }
        if text.wholeMatch(of: /[-+]?[0-9]+/) != nil {
            let negative = text.hasPrefix("-")
            let digits = text.drop { $0 == "-" || $0 == "+" }.drop { $0 == "0" }
            return digits.isEmpty ? "0" : (negative ? "-" : "") + digits
        }
        if text.wholeMatch(of: /0o[0-7]+/) != nil {
            return UInt64(text.dropFirst(2), radix: 8).map(String.init)
        }
        if text.wholeMatch(of: /0x[0-9a-fA-F]+/) != nil {
            return UInt64(text.dropFirst(2), radix: 16).map(String.init)
        }
        if text.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/) != nil {
            guard let number = Double(text) else { return nil }
            if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
            // Written with a point or an exponent, so the validator reads it as a float, as it was written.
            let written = "\(number)"
            return written.contains(".") || written.contains("e") ? written : written + ".0"
        }
        return quoted(text)
    }

    /// `text` as a JSON string.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029:
                result += String(format: "\\u%04x", scalar.value)
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
