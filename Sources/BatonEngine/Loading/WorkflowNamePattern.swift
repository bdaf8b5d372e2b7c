/// The rules names follow in the workflow format, as regular expressions for the JSON Schema;
/// `WorkflowSchemaTests` holds each to the check the decoder makes.
package enum WorkflowNamePattern: Sendable, CaseIterable {
    /// A step id: letters, digits, `_` and `-`, at most `WorkflowDecoder.maximumStepIDLength`.
    case stepID
    /// An environment variable (`WorkflowDecoder.isEnvironmentName`).
    case variable
    /// A parameter or matrix key (`WorkflowParameter.isValidName`).
    case parameter
    /// An output name (`StepOutputFile.isValidKey`).
    case output
    /// A host or group of the inventory (`StepGroup.isInstanceLabel`).
    case inventoryName
    /// Any name: the loader checks it against something else (`with:` against the called file's parameters).
    case any

    /// The regular expression a name matches; nil for any name.
    package var regularExpression: String? {
        switch self {
        case .stepID: "^[A-Za-z0-9_-]+$"
        case .variable: "^[A-Za-z_][A-Za-z0-9_]*$"
        case .parameter: "^[A-Za-z_][A-Za-z0-9_-]*$"
        case .output: "^[A-Za-z_][A-Za-z0-9_.-]*$"
        case .inventoryName: "^[A-Za-z0-9_.:@,-]+$"
        case .any: nil
        }
    }

    /// The most characters a name may have; nil for no limit.
    package var maximumLength: Int? {
        switch self {
        case .stepID: WorkflowDecoder.maximumStepIDLength
        case .inventoryName: StepGroup.maximumInstanceLabelLength
        case .variable, .parameter, .output, .any: nil
        }
    }

    /// Whether the decoder takes `name`: the check the pattern stands for.
    package func accepts(_ name: String) -> Bool {
        switch self {
        case .stepID:
            !name.isEmpty && name.utf8.count <= WorkflowDecoder.maximumStepIDLength && WorkflowDecoder.hasStepIDCharacters(name)
        case .variable: WorkflowDecoder.isEnvironmentName(name)
        case .parameter: WorkflowParameter.isValidName(name)
        case .output: StepOutputFile.isValidKey(Substring(name))
        case .inventoryName: StepGroup.isInstanceLabel(name)
        case .any: true
        }
    }
}
