import BatonEngine

/// One file in `baton validate --json`: its workflow when it is valid, or every problem found
/// in it and in the files it reads (called workflows, the inventory file).
struct ValidatedFileJSON: Encodable {
    var file: String
    var valid: Bool
    /// The workflow's name; nil for an invalid file.
    var workflow: String?
    /// How many steps the workflow has, fan-out instances counted; nil for an invalid file.
    var steps: Int?
    var problems: [ProblemJSON]

    enum CodingKeys: String, CodingKey {
        case file
        case valid
        case workflow
        case steps
        case problems
    }

    /// A valid file and its workflow (secrets masked).
    init(file: String, workflow: Workflow) {
        self.file = file
        valid = true
        self.workflow = workflow.name
        steps = workflow.steps.count
        problems = []
    }

    /// An invalid file and its problems.
    init(file: String, problems: [SourceProblem]) {
        self.file = file
        valid = false
        self.problems = problems.map(ProblemJSON.init)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(valid, forKey: .valid)
        try container.encode(workflow, forKey: .workflow)
        try container.encode(steps, forKey: .steps)
        try container.encode(problems, forKey: .problems)
    }
}
