import BatonTestSupport
import Testing

/// The orphan tests are parameterised by tree; each shows under its case name.
extension StubbornProcessTree: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}
