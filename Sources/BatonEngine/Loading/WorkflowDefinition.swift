/// A loaded workflow with the exact texts it was loaded from: its own file's, and every file
/// its `uses:` steps call. A run stores these, so that what it resumes is what was validated.
package struct WorkflowDefinition: Sendable {
    package var workflow: Workflow
    package var text: String
    package var calledFiles: CalledFiles
    /// What `run_started` records of the definition; made by the loader for a new run
    /// (`WorkflowLoader.loadWithText`), nil otherwise.
    package var fingerprint: DefinitionFingerprint?

    package init(workflow: Workflow, text: String, calledFiles: CalledFiles) {
        self.workflow = workflow
        self.text = text
        self.calledFiles = calledFiles
    }
}
