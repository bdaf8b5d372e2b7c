import CYaml

/// libyaml's events of a text, read one at a time: the one place the readers that skip Yams's
/// composer (`YAMLTreeBuilder`, `DefinitionPartsReader`) set up a parser and free it.
///
/// A class, so that the parser is never copied: libyaml's state points into buffers it grows.
final class YAMLEventStream {
    private var parser = yaml_parser_t()
    /// The event read last.
    private(set) var event = yaml_event_t()

    private init() {}

    /// What `body` makes of the events of `text`; nil when libyaml cannot start. The stream
    /// is freed when `body` returns, whether it read to the end or gave up.
    static func read<Result>(_ text: String, _ body: (YAMLEventStream) -> Result?) -> Result? {
        var text = text
        return text.withUTF8 { bytes in
            let stream = YAMLEventStream()
            guard yaml_parser_initialize(&stream.parser) == 1 else { return nil }
            defer {
                yaml_event_delete(&stream.event)
                yaml_parser_delete(&stream.parser)
            }
            yaml_parser_set_encoding(&stream.parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&stream.parser, bytes.baseAddress, bytes.count)
            return body(stream)
        }
    }

    /// Parses the next event into `event`; false on a syntax error.
    func next() -> Bool {
        yaml_event_delete(&event)
        return yaml_parser_parse(&parser, &event) == 1
    }
}
