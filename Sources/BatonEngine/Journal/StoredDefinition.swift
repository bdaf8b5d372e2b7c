/// The texts a run stored of its definition, as `RunDirectory.readStoredDefinition()` read
/// them: its own `workflow.yaml`, the copies of the files it calls, and the source the loader
/// reads those copies from.
package struct StoredDefinition: Sendable {
    package var text: String
    package var calledFiles: CalledFiles
    package var source: CalledFileSource
}
