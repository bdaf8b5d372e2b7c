extension SourceProblem {
    /// `problems` each once, file by file in `files`' order (files it does not name last),
    /// each file's by position, and problems at one position in the order they were found.
    package static func ordered(_ problems: [SourceProblem], files: [String] = []) -> [SourceProblem] {
        var seen: Set<SourceProblem> = []
        var rank: [String: Int] = [:]
        for file in files where rank[file] == nil { rank[file] = rank.count }
        let unique = problems.filter { seen.insert($0).inserted }
        return unique.enumerated().sorted { lhs, rhs in
            let (left, right) = (lhs.element, rhs.element)
            if left.file != right.file { return rank[left.file, default: rank.count] < rank[right.file, default: rank.count] }
            return left.location != right.location ? left.location < right.location : lhs.offset < rhs.offset
        }.map(\.element)
    }
}
