extension WorkflowLoadError {
    /// An error with a single problem.
    init(file: String, location: SourceLocation, message: String) {
        self.init(problems: [SourceProblem(file: file, location: location, message: message)])
    }

    /// An error for bytes that are not acceptable text.
    init(file: String, _ problem: TextValidator.Problem) {
        self.init(file: file, location: problem.location, message: problem.message)
    }
}
