import Foundation

/// The workflow a run stored, read back: the one way resume, attach, replay, `baton logs` and
/// `baton top` load it, so that each sees the definition that ran, the files it calls and its
/// inventory file included, whatever became of the files on disk since.
extension RunDirectory {
    /// The texts stored with the run: `workflow.yaml` and the copies of the files it calls and
    /// of its inventory file (`uses/`, by `manifest.json`), with the source the loader reads
    /// those copies from.
    package func readStoredDefinition() throws(WorkflowLoadError) -> StoredDefinition {
        let text = try WorkflowLoader.readText(contentsOf: workflowPath)
        let calledFiles = try readCalledFiles()
        let stored = calledFilesPath
        var names: [String: String] = [:]
        if let manifest = try? readManifest() {
            for entry in manifest.files { names[entry.path] = "\(stored)/\(entry.file)" }
        }
        let storedNames = names
        // A run recorded without the folder names no ssh_config found from it.
        let source = CalledFileSource.stored(calledFiles, folder: path) { path in storedNames[path] ?? "\(stored)/\(path)" }
        return StoredDefinition(text: text, calledFiles: calledFiles, source: source)
    }

    /// The workflow stored with the run, loaded from its own copies of every file it calls.
    public func loadStoredWorkflow() throws(WorkflowLoadError) -> Workflow {
        try loadStoredDefinition().workflow
    }

    /// The workflow stored with the run, with the texts it was loaded from.
    package func loadStoredDefinition() throws(WorkflowLoadError) -> WorkflowDefinition {
        try loadStoredDefinition(readStoredDefinition())
    }

    /// The workflow in texts `readStoredDefinition` read, for a caller that looks at them
    /// first (resume checks their digests).
    package func loadStoredDefinition(_ stored: StoredDefinition) throws(WorkflowLoadError) -> WorkflowDefinition {
        try WorkflowLoader.loadDefinition(yaml: stored.text, file: workflowPath, calling: stored.source)
    }

    /// The stored copies of the files the run calls and of its inventory file; none for a run
    /// that has none (or was recorded before calls were stored).
    private func readCalledFiles() throws(WorkflowLoadError) -> CalledFiles {
        guard FileManager.default.fileExists(atPath: calledFilesManifestPath) else { return CalledFiles() }
        let manifest = try readManifest()
        var files: [CalledFile] = []
        for entry in manifest.files {
            // The index names plain files inside `uses/`, nothing elsewhere.
            guard !entry.file.isEmpty, !entry.file.contains("/"), entry.file != ".", entry.file != ".." else {
                throw WorkflowLoadError(
                    file: calledFilesManifestPath, location: .start,
                    message: "the index of the called workflows names '\(entry.file)', which is not a file of \(calledFilesPath)")
            }
            let text = try WorkflowLoader.readText(contentsOf: "\(calledFilesPath)/\(entry.file)")
            files.append(CalledFile(path: entry.path, text: text, isInventory: entry.inventory == true))
        }
        return CalledFiles(main: manifest.main, files: files, folder: manifest.folder)
    }

    private func readManifest() throws(WorkflowLoadError) -> CalledFileManifest {
        let data = try WorkflowLoader.readText(contentsOf: calledFilesManifestPath)
        do {
            return try JSONDecoder().decode(CalledFileManifest.self, from: Data(data.utf8))
        } catch {
            throw WorkflowLoadError(
                file: calledFilesManifestPath, location: .start,
                message: "the index of the called workflows does not read: \(error.localizedDescription)")
        }
    }
}
