/// The template of a `format(...)` call: text with `{0}`, `{1}`, … placeholders and `{{`, `}}`
/// for literal braces.
struct ConditionFormatTemplate: Sendable, Hashable {
    enum Segment: Sendable, Hashable {
        case text(String)
        /// The value at this 0-based position after the template.
        case placeholder(Int)
    }

    /// Why a template does not read, at which 0-based character of the template.
    struct Failure: Error, Sendable, Hashable {
        var offset: Int
        var message: String
    }

    var segments: [Segment]

    /// The highest placeholder, or nil when there is none.
    var highestPlaceholder: Int? {
        segments.compactMap { if case .placeholder(let position) = $0 { position } else { nil } }.max()
    }

    /// Reads a template; a brace that is neither doubled nor part of `{digits}` is an error.
    init(_ template: String) throws(Failure) {
        let scalars = Array(template.unicodeScalars)
        var segments: [Segment] = []
        var text = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == "}" {
                guard next == "}" else {
                    throw Failure(offset: index, message: "a lone '}'; write '}}' for a brace")
                }
                text.append("}")
                index += 2
                continue
            }
            guard scalar == "{" else {
                text.append(scalar)
                index += 1
                continue
            }
            if next == "{" {
                text.append("{")
                index += 2
                continue
            }
            var end = index + 1
            while end < scalars.count, ("0"..."9").contains(scalars[end]) { end += 1 }
            // Up to four digits: no call has thousands of values, and the index must fit an Int.
            guard end > index + 1, end - index - 1 <= 4, end < scalars.count, scalars[end] == "}" else {
                throw Failure(offset: index, message: "a '{' must start a placeholder such as {0}; write '{{' for a brace")
            }
            if !text.isEmpty {
                segments.append(.text(String(text)))
                text = String.UnicodeScalarView()
            }
            segments.append(.placeholder(Int(String(String.UnicodeScalarView(scalars[(index + 1)..<end])))!))
            index = end + 1
        }
        if !text.isEmpty { segments.append(.text(String(text))) }
        self.segments = segments
    }

    /// The template with each placeholder replaced by the text of its value.
    ///
    /// The caller checks first that every placeholder has a value.
    func render(_ values: [ConditionValue]) -> String {
        var out = ""
        for segment in segments {
            switch segment {
            case .text(let text): out += text
            case .placeholder(let position): out += values[position].text
            }
        }
        return out
    }
}
