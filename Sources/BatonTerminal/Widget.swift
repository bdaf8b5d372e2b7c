/// Something that draws itself into an area of a buffer, and nothing else.
///
/// Widgets never touch the terminal, so they are tested by rendering into a `Buffer` and
/// reading its rows.
public protocol Widget {
    func render(into buffer: inout Buffer, area: Rect)
}
