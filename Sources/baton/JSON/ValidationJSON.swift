/// `baton validate --json`: every file checked, in the order given, and whether all are valid.
struct ValidationJSON: Encodable {
    var valid: Bool
    var files: [ValidatedFileJSON]

    enum CodingKeys: String, CodingKey {
        case valid
        case files
    }

    init(files: [ValidatedFileJSON]) {
        self.files = files
        valid = files.allSatisfy(\.valid)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(valid, forKey: .valid)
        try container.encode(files, forKey: .files)
    }
}
