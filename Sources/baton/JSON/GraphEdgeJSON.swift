/// One dependency in `baton graph --json`: `to` needs `from`, so `from` runs first.
struct GraphEdgeJSON: Encodable {
    var from: String
    var to: String

    enum CodingKeys: String, CodingKey {
        case from
        case to
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(from, forKey: .from)
        try container.encode(to, forKey: .to)
    }
}
