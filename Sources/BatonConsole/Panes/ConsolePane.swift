import BatonEngine
import BatonTerminal

/// A kind of pane as a type: how it draws in its slot, what a movement key does while it has
/// the focus, what the wheel does over it, what a click on it selects, and which keys act in
/// it.
///
/// `PaneKind.pane` names each kind's type, and the view (`ConsoleView`), the movement keys
/// (`ConsoleUpdate.navigate`), the wheel and the clicks each dispatch through it: adding a
/// pane is its file, its `PaneKind` case and its keys in the keymap.
///
/// A pane type holds nothing: as with ratatui's `StatefulWidget`, its state is kept for it
/// (its field of `AppState.panes`, a `ListScroll` for a list), and it draws with the widgets
/// in Panes/ and Graph/.
protocol ConsolePane {
    /// The kind it is.
    static var kind: PaneKind { get }
    /// What the help overlay calls it.
    static var name: String { get }
    /// The keys that act in it: the movement keys it takes while it has the focus (no other
    /// reaches `navigate`), then the keys that change what it shows. The help overlay lists
    /// them by pane.
    static var keys: [ConsoleAction] { get }
    /// Draws its frame, titled, and what it shows inside the frame. One call does both, as
    /// the title tells what the drawing works out (the graph's neighbourhood, the timeline's
    /// critical path).
    static func render(_ drawing: PaneDrawing, into buffer: inout Buffer)
    /// Moves its selection or its scroll for one of the movement keys in `keys`.
    static func navigate(_ action: ConsoleAction, in state: inout AppState, context: ConsoleContext)
    /// Scrolls it by `rows` (down when positive) for a turn of the wheel, or by columns when
    /// `sideways` and it scrolls sideways; the selection stays.
    static func scroll(by rows: Int, sideways: Bool, in state: inout AppState, context: ConsoleContext)
    /// The step a click at a cell of its inner `area` selects; nil where it draws no step.
    static func step(atX x: Int, y: Int, in area: Rect, state: AppState, context: ConsoleContext) -> Int?
}

extension ConsolePane {
    static func step(atX x: Int, y: Int, in area: Rect, state: AppState, context: ConsoleContext) -> Int? { nil }

    /// The area inside its frame on the screen `state` lays out.
    static func inner(_ state: AppState) -> Rect { ConsoleLayout(state).inner(kind.slot) }
}
