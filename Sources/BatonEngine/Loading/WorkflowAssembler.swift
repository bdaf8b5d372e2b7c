import Yams

/// Loads a workflow file and every file its `uses:` steps call, and puts them together into
/// one workflow, collecting every problem of every file.
///
/// Each file is read, decoded and validated on its own (its problems name it and its own
/// lines), once however often it is called, then spliced into each caller with its ids
/// prefixed (see `WorkflowAssembler+Splice`). Whatever the files say, the work is bounded: a
/// chain of calls at most ``maximumCallDepth`` deep with no file calling itself, at most
/// ``maximumSteps`` steps in the finished workflow (fan-out instances included), at most
/// ``maximumCalledFiles`` different files and ``maximumBytes`` read in all, and at most
/// ``maximumStepsMade`` steps made on the way by the splices of every level.
final class WorkflowAssembler {
    /// The longest chain of calls: the run's own file calling a file that calls a file… 16 times.
    static let maximumCallDepth = 16
    /// The most steps a workflow may have once its calls and fan-outs are expanded.
    static let maximumSteps = WorkflowDecoder.maximumInstances
    /// The most different files one load may call.
    static let maximumCalledFiles = 1_000
    /// The most bytes the called files may hold together.
    static let maximumBytes = 64 << 20
    /// The most steps the splices of all levels may make together.
    static let maximumStepsMade = 2_000_000
    /// The longest full id of a called step (`build.test.unit`): ids name files such as
    /// `logs/<id>.log.index` and `outputs/<id>.<attempt>.rollback.env`, which must fit in 255 bytes.
    static let maximumStepIDLength = 200

    /// A file on the chain of calls being loaded: its resolved path and its name in problems.
    struct Link {
        var path: String
        var file: String
    }

    /// What became of a called file.
    private enum Outcome {
        case loaded(AssembledWorkflow)
        /// It was read but does not load; its problems are reported under its name.
        case failed
        /// It could not be read, for the reason given.
        case unreadable(String)
    }

    let source: CalledFileSource
    /// Every problem found, in any file.
    private(set) var problems: [SourceProblem] = []
    /// Each file called, once, in the order first called.
    private(set) var calledFiles: [CalledFile] = []
    /// The names of the files read, the run's own first, in the order first called: the
    /// order their problems are listed in.
    private(set) var fileOrder: [String] = []
    private var outcomes: [String: Outcome] = [:]
    private var bytesRead = 0
    var stepsMade = 0
    /// The run's hosts, once the run's own file made them: what the steps of called files run on.
    private var runInventory = InventoryScope()

    init(source: CalledFileSource) {
        self.source = source
    }

    /// The run's own file, whose checked text is `text` and which problems name `file`, with
    /// the source's inventory file, if it has one.
    func assembleMain(_ text: String, file: String) -> AssembledWorkflow? {
        fileOrder.append(file)
        if let path = source.inventory {
            runInventory.external = readInventory(path)
            // A name the broken part of the file may have defined is not said to be unknown.
            runInventory.externalIsPartial = runInventory.external.map { !$0.decoder.problems.isEmpty } ?? true
        }
        let assembled = assemble(text, chain: [Link(path: source.main, file: file)])
        // Its decoder also took the problems found as the run's own file joined it.
        if let decoder = runInventory.external?.decoder { problems += decoder.problems }
        return assembled
    }

    /// The inventory file at `path` (`--inventory`), decoded; nil, with its problems, when it
    /// cannot be read or composed. Its text is kept with the called files, marked as the inventory.
    private func readInventory(_ path: String) -> DecodedInventory? {
        let file = source.displayName(path)
        fileOrder.append(file)
        let bytes: [UInt8]
        switch source.read(path) {
        case .success(let read):
            bytes = read
        case .failure(.unreadable(let reason)):
            problems.append(SourceProblem(file: file, location: .start, message: "cannot read the inventory file: \(reason)"))
            return nil
        case .failure(.tooLarge(let size)):
            problems += WorkflowLoader.tooLarge(size, file: file).problems
            return nil
        }
        if bytes.count > WorkflowLoader.maximumFileSize {
            problems += WorkflowLoader.tooLarge(bytes.count, file: file).problems
            return nil
        }
        if let problem = bytes.withUnsafeBufferPointer({ TextValidator.check($0) }) {
            problems += WorkflowLoadError(file: file, problem).problems
            return nil
        }
        let text = String(decoding: bytes, as: UTF8.self)
        calledFiles.append(CalledFile(path: path, text: text, isInventory: true))
        guard let (document, root, scan) = composed(text, file: file, whenEmpty: "file is empty: an inventory lists hosts under 'hosts:'") else {
            return nil
        }
        problems += scan.problems
        if scan.exceededBudget { return nil }
        let decoder = WorkflowDecoder(file: file, text: text, renamedKeys: document.renamedKeys, repeatedKeys: scan.repeatedKeys)
        // Its `ssh_config:` is found from its own folder; `path` is absolute.
        decoder.inventoryScope.folder = CalledFileSource.folder(of: path)
        decoder.inventoryScope.checksSSHConfig = source.checksSSHConfig
        return decoder.decodeInventoryFile(root: root)
    }

    /// `text` composed into a YAML document and scanned for repeated keys and its cost; nil,
    /// with the problem said, when it does not compose or holds nothing (`whenEmpty`).
    private func composed(
        _ text: String, file: String, whenEmpty: String
    ) -> (document: YAMLComposer.Document, root: Node, scan: DocumentScanner.Outcome)? {
        let document: YAMLComposer.Document
        do {
            document = try YAMLComposer.compose(text, file: file)
        } catch {
            problems += error.problems
            return nil
        }
        guard let root = document.root, !YAMLComposer.isEmpty(root) else {
            problems.append(SourceProblem(file: file, location: .start, message: whenEmpty))
            return nil
        }
        let scan = DocumentScanner(file: file, renamedKeys: document.renamedKeys).scan(
            root, shape: document.shape, budget: DocumentScanner.budget(forTextOfSize: text.utf8.count),
            checkRepeatedKeys: !document.renamedKeys.isEmpty
        )
        return (document, root, scan)
    }

    /// The file at the end of `chain`, whose checked text is `text`.
    private func assemble(_ text: String, chain: [Link]) -> AssembledWorkflow? {
        let file = chain[chain.count - 1].file
        guard let (document, root, scan) = composed(text, file: file, whenEmpty: "file is empty") else { return nil }
        if scan.exceededBudget {
            problems += scan.problems
            return nil
        }
        let decoder = WorkflowDecoder(
            file: file, text: text, renamedKeys: document.renamedKeys, repeatedKeys: scan.repeatedKeys
        )
        if chain.count == 1 {
            decoder.inventoryScope.external = runInventory.external
            decoder.inventoryScope.externalIsPartial = runInventory.externalIsPartial
            decoder.inventoryScope.folder = source.folder
            decoder.inventoryScope.checksSSHConfig = source.checksSSHConfig
        } else {
            decoder.inventoryScope = runInventory
            decoder.inventoryScope.caller = chain[chain.count - 2].file
        }
        var decoded = decoder.decodeWorkflow(root: root, defaultName: WorkflowLoader.defaultName(forFile: file))
        if chain.count == 1 {
            // The run's own file made the run's hosts; the files it calls run their steps on them.
            runInventory.inventory = decoder.inventoryScope.inventory
            runInventory.unusableNames = decoder.inventoryScope.unusableNames
        }
        if var workflow = decoded {
            if chain.count > 1, let finallyKey = workflow.finallyKeyNode {
                decoder.report(
                    "'finally' cannot be in a called workflow (\(chain[chain.count - 2].file) calls this file): finally steps run once the "
                        + "whole run has settled, not the call; give the steps `when: always()` and `needs` so they run last in the call, "
                        + "or move them to the calling workflow's 'finally'",
                    at: finallyKey)
            }
            loadCalls(&workflow, decoder: decoder, chain: chain)
            decoder.expandFanOuts(&workflow)
            decoded = workflow
        }
        var validator = DependencyValidator(file: file, steps: decoded?.steps ?? []) { node, offset in
            decoder.location(in: node, offset: offset)
        }
        let dependencyProblems = validator.validate()
        var assembled: AssembledWorkflow?
        if let decoded {
            checkCallReferences(in: decoded, decoder: decoder)
            let outputs = declaredOutputs(of: decoded, decoder: decoder)
            if scan.problems.isEmpty, decoder.problems.isEmpty, dependencyProblems.isEmpty {
                assembled = splice(decoded, file: file, outputs: outputs, decoder: decoder)
            }
        }
        problems += scan.problems + decoder.problems + dependencyProblems
        return scan.problems.isEmpty && decoder.problems.isEmpty && dependencyProblems.isEmpty ? assembled : nil
    }

    /// Loads the file each `uses:` step calls and checks its `with:`, stopping once the steps
    /// called would be more than a workflow may have.
    private func loadCalls(_ workflow: inout DecodedWorkflow, decoder: WorkflowDecoder, chain: [Link]) {
        var total = 0
        for index in workflow.steps.indices {
            guard let call = workflow.steps[index].call else {
                total += 1
                continue
            }
            let id = workflow.steps[index].id
            guard let callee = loadCallee(call, stepID: id, decoder: decoder, chain: chain) else { continue }
            total += callee.workflow.steps.count
            if total > Self.maximumSteps {
                decoder.report(
                    "step '\(id)' calls '\(call.path)', whose \(callee.workflow.steps.count) steps bring the workflow to more than the "
                        + "\(Self.maximumSteps) steps a workflow may have in all; call smaller workflows, or fewer",
                    at: call.pathNode)
                return
            }
            workflow.steps[index].call?.callee = callee
        }
        for index in workflow.steps.indices where workflow.steps[index].call?.callee != nil {
            let arguments = arguments(ofStepAt: index, in: workflow, decoder: decoder)
            workflow.steps[index].call?.arguments = arguments
        }
    }

    /// The called workflow of `call`, loaded once per file; nil, with the reason reported at
    /// the `uses:` value, when it cannot be called from here.
    private func loadCallee(_ call: DecodedCall, stepID: String, decoder: WorkflowDecoder, chain: [Link]) -> AssembledWorkflow? {
        let path = CalledFileSource.resolve(call.path, from: chain[chain.count - 1].path)
        let file = source.displayName(path)
        let label = "step '\(stepID)' calls '\(call.path)'"
        if let start = chain.firstIndex(where: { $0.path == path }) {
            let cycle = (chain[start...].map(\.file) + [file]).joined(separator: " → ")
            decoder.report(
                "\(label), which makes a cycle of called workflows: \(cycle); a workflow cannot call itself, even through others",
                at: call.pathNode)
            return nil
        }
        if chain.count > Self.maximumCallDepth {
            decoder.report(
                "\(label), which would make a chain of \(chain.count) calls, more than the \(Self.maximumCallDepth) allowed: "
                    + Self.chainText(chain.map(\.file) + [file]),
                at: call.pathNode)
            return nil
        }
        switch outcomes[path] {
        case .loaded(let callee)?:
            guard chain.count + callee.height <= Self.maximumCallDepth else {
                decoder.report(
                    "\(label), whose own calls go \(callee.height) deep: from here that is a chain of \(chain.count + callee.height) calls, "
                        + "more than the \(Self.maximumCallDepth) allowed (\(Self.chainText(chain.map(\.file) + [file])) → …)",
                    at: call.pathNode)
                return nil
            }
            return callee
        case .failed?:
            decoder.report("\(label), which does not load: its problems are listed under \(file)", at: call.pathNode)
            return nil
        case .unreadable(let reason)?:
            decoder.report("\(label): cannot read \(file): \(reason)", at: call.pathNode)
            return nil
        case nil:
            break
        }
        guard outcomes.count < Self.maximumCalledFiles else {
            decoder.report("\(label), but the workflow already calls \(Self.maximumCalledFiles) different files, the most one run may call", at: call.pathNode)
            return nil
        }
        fileOrder.append(file)
        let bytes: [UInt8]
        switch source.read(path) {
        case .success(let read):
            bytes = read
        case .failure(.unreadable(let reason)):
            outcomes[path] = .unreadable(reason)
            decoder.report("\(label): cannot read \(file): \(reason)", at: call.pathNode)
            return nil
        case .failure(.tooLarge(let size)):
            return refuse(path, file: file, WorkflowLoader.tooLarge(size, file: file).problems, label: label, call: call, decoder: decoder)
        }
        bytesRead += bytes.count
        guard bytesRead <= Self.maximumBytes else {
            decoder.report(
                "\(label), which brings the files this workflow calls to more than \(Self.maximumBytes >> 20) MiB in all; call smaller files",
                at: call.pathNode)
            return nil
        }
        if bytes.count > WorkflowLoader.maximumFileSize {
            return refuse(path, file: file, WorkflowLoader.tooLarge(bytes.count, file: file).problems, label: label, call: call, decoder: decoder)
        }
        if let problem = bytes.withUnsafeBufferPointer({ TextValidator.check($0) }) {
            return refuse(path, file: file, WorkflowLoadError(file: file, problem).problems, label: label, call: call, decoder: decoder)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        calledFiles.append(CalledFile(path: path, text: text))
        let assembled = assemble(text, chain: chain + [Link(path: path, file: file)])
        outcomes[path] = assembled.map(Outcome.loaded) ?? .failed
        if assembled == nil {
            decoder.report("\(label), which does not load: its problems are listed under \(file)", at: call.pathNode)
        }
        return assembled
    }

    /// Records that the file at `path` does not load for `fileProblems`, and says so at the call.
    private func refuse(
        _ path: String, file: String, _ fileProblems: [SourceProblem], label: String, call: DecodedCall, decoder: WorkflowDecoder
    ) -> AssembledWorkflow? {
        problems += fileProblems
        outcomes[path] = .failed
        decoder.report("\(label), which does not load: its problems are listed under \(file)", at: call.pathNode)
        return nil
    }

    /// `a.yaml → b.yaml → c.yaml`, with the middle of a long chain left out.
    static func chainText(_ files: [String]) -> String {
        guard files.count > 8 else { return files.joined(separator: " → ") }
        return (files.prefix(3) + ["…"] + files.suffix(4)).joined(separator: " → ")
    }
}
