/// Why the demo folder `$BATON_DEMO_DIR` names cannot be used.
struct DemoFolderError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
