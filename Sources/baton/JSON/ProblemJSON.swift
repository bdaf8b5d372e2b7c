import BatonEngine

/// One problem in `baton validate --json`: a `SourceProblem` with its place, its message as
/// the text output prints it, and the word its "did you mean" hint suggests, if any.
struct ProblemJSON: Encodable {
    var file: String
    var line: Int
    var column: Int
    var message: String
    var suggestion: String?

    enum CodingKeys: String, CodingKey {
        case file
        case line
        case column
        case message
        case suggestion
    }

    init(_ problem: SourceProblem) {
        file = problem.file
        line = problem.location.line
        column = problem.location.column
        message = problem.message
        suggestion = Suggestion.suggested(in: problem.message)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
        try container.encode(message, forKey: .message)
        try container.encode(suggestion, forKey: .suggestion)
    }
}
