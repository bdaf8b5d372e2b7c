/// The chain of steps that decided how long a run took: the critical path, read backwards
/// from the step that finished last.
///
/// A step's *finish* is the end of its last attempt (an ongoing one ends at `now`). A pure
/// approval gate has no attempts; its approval is its work, so its finish is the end of its
/// last wait. Steps with neither never ran and are never on the path.
///
/// The path starts at the step that finished last and moves, again and again, to the need
/// that finished last — the one that released it — until it reaches a step with no need that
/// ran. Ties go to the step earlier in the file. The work is linear in steps plus needs.
public enum CriticalPath {
    /// The critical path's steps, by file position, first to last; empty when nothing ran.
    public static func steps(in workflow: Workflow, timeline: RunTimeline, now: Double) -> [Int] {
        steps(plan: Plan(workflow: workflow), timeline: timeline, now: now)
    }

    /// The critical path's steps with the needs of an already built plan (saves building one per frame).
    public static func steps(plan: Plan, timeline: RunTimeline, now: Double) -> [Int] {
        let count = min(plan.needs.count, timeline.stepCount)
        var finishes: [Double?] = Array(repeating: nil, count: count)
        var last: Int?
        var lastEnd = -Double.infinity
        for index in 0..<count {
            guard let end = finish(of: index, in: timeline, now: now) else { continue }
            finishes[index] = end
            if last == nil || end > lastEnd {
                last = index
                lastEnd = end
            }
        }
        guard var current = last else { return [] }
        var path = [current]
        // A hand-built workflow may have a cycle; the path never visits a step twice.
        var onPath = Array(repeating: false, count: count)
        onPath[current] = true
        while true {
            var released: Int?
            var releasedEnd = -Double.infinity
            for need in plan.needs[current] where need < count && !onPath[need] {
                guard let end = finishes[need] else { continue }
                if released == nil || end > releasedEnd || (end == releasedEnd && need < released!) {
                    released = need
                    releasedEnd = end
                }
            }
            guard let next = released else { break }
            path.append(next)
            onPath[next] = true
            current = next
        }
        return path.reversed()
    }

    /// When a step's work ended: its last attempt, or for a step without attempts (a pure
    /// gate) its last wait; nil if it never did either.
    public static func finish(of index: Int, in timeline: RunTimeline, now: Double) -> Double? {
        let segments = timeline.segments(of: index)
        if let attempt = segments.last(where: { $0.kind == .attempt }) { return attempt.end(now: now) }
        return segments.last(where: { $0.kind == .waiting })?.end(now: now)
    }
}
