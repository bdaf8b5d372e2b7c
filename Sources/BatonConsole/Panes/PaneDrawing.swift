import BatonEngine
import BatonTerminal

/// What a pane draws with in one frame: the state, the console's context, what the view works
/// out once for every pane (each step's state, the fan-out grouping), the look, and the slot.
struct PaneDrawing {
    let state: AppState
    let context: ConsoleContext
    /// Each step's state, by file position.
    let states: [StepState]
    let grouping: StepGrouping
    let theme: Theme
    let unicode: Bool
    /// The slot's rectangle, border included.
    let rect: Rect
    let focused: Bool

    /// Draws the slot's border with `title` and gives back the area inside it.
    func frame(_ title: String, into buffer: inout Buffer) -> Rect {
        PaneFrame.draw(into: &buffer, rect: rect, title: title, focused: focused, theme: theme, unicode: unicode)
    }
}
