/// One file of the repository compiled into Baton: a demo workflow or a theme.
package struct BuiltInFile: Sendable, Equatable {
    /// The file's name without `.yaml`: the demo's or the theme's name.
    package var name: String
    /// The file's bytes, as they were when Baton was built.
    package var bytes: [UInt8]
    /// The folder of the repository it comes from: `demo` or `themes`.
    package var folder: String

    package init(name: String, bytes: [UInt8], folder: String) {
        self.name = name
        self.bytes = bytes
        self.folder = folder
    }

    /// How problems and listings name it: `builtin:themes/light.yaml`. The last path
    /// component is the file's own name, so a loader's default name (the file name without
    /// `.yaml`) is the same as for the file on disk.
    package var displayPath: String { "builtin:\(folder)/\(name).yaml" }

    /// The file's text.
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}
