/// A step that `matrix:` or `for_each:` fans out into instances, and how they run together.
///
/// Each instance is a step of its own (`deploy[web1]`), with its own state, log, retries,
/// outputs and rollback; a step that needs the group needs every instance. The policies are
/// applied by the scheduler (`Plan`) from the run's state alone, so a resumed run holds
/// back the same instances the run it resumes did.
public struct StepGroup: Sendable, Hashable {
    /// How many instances a rolling batch holds.
    public enum BatchSize: Sendable, Hashable {
        case count(Int)
        /// A share of the instances, 1 to 100, rounded up to a whole instance.
        case percent(Int)
    }

    /// The step's id as written: what other steps name in `needs`.
    public var id: String
    /// The instances' ids, in expansion order.
    public var instances: [String]
    /// The most instances running at once; nil for no limit beyond the run's.
    public var maxParallel: Int?
    /// Rolling batches: a batch starts once the one before it has settled.
    public var batch: BatchSize?
    /// How many instances may fail before the instances not yet started are held back
    /// (`fail_fast: true` is 0); nil for no limit.
    public var maxFailures: Int?

    public init(id: String, instances: [String], maxParallel: Int? = nil, batch: BatchSize? = nil, maxFailures: Int? = nil) {
        self.id = id
        self.instances = instances
        self.maxParallel = maxParallel
        self.batch = batch
        self.maxFailures = maxFailures
    }

    /// The most instances all the fan-outs of a workflow may make together, at load and at run time.
    public static let maximumInstances = 100_000
    /// The longest instance label (the part between the brackets of `deploy[web1]`).
    public static let maximumInstanceLabelLength = 64

    /// Whether `label` can name an instance: 1 to 64 letters, digits and `_-.:@,`, so that
    /// an instance's id can name its files.
    public static func isInstanceLabel(_ label: String) -> Bool {
        !label.isEmpty && label.unicodeScalars.count <= maximumInstanceLabelLength && label.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "_-.:@,".unicodeScalars.contains(scalar)
        }
    }

    /// How many instances each batch holds, at least 1; nil without `batch`.
    public var batchSize: Int? {
        switch batch {
        case nil: nil
        case .count(let count): max(1, count)
        case .percent(let percent): max(1, (instances.count * percent + 99) / 100)
        }
    }
}
