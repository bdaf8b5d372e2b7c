/// Refuses YAML whose aliases would expand into a tree too deep or too large to build, for
/// other YAML files Baton reads (themes) the way the workflow loader does for workflows.
public enum YAMLAliasGuard {
    /// Where and why `text`'s aliases expand too far, or nil when they do not (or the text
    /// does not compose at all, which the caller's own composing reports).
    public static func problem(in text: String) -> (line: Int, column: Int, message: String)? {
        guard AliasExpansionCheck.mayExpand(text) else { return nil }
        let budget = DocumentScanner.budget(forTextOfSize: text.utf8.count)
        guard let found = try? AliasExpansionCheck.check(text, file: "", budget: budget) else { return nil }
        return (found.location.line, found.location.column, found.message)
    }
}
