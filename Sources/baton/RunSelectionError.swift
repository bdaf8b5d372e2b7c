/// Why `baton runs` cannot select runs as asked: a `--state` or `--since` it cannot read.
struct RunSelectionError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
