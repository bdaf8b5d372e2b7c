/// The help overlay of `baton top`: the keys, from its keymap, then how to read the list.
public enum TopHelpText {
    public static func lines(keymap: TopKeymap, user: String, unicode: Bool = true) -> [String] {
        let (live, died) = unicode ? ("●", "○") : ("*", "o")
        let width = keymap.bindings.map { $0.keyNames.count }.max() ?? 8
        var lines: [String] = []
        for binding in keymap.bindings {
            // A help of two lines goes on under the first, aligned with it.
            for (index, text) in binding.help.split(separator: "\n").enumerated() {
                let keys = index == 0 ? binding.keyNames : ""
                lines.append("\(keys.padding(toLength: width, withPad: " ", startingAt: 0))  \(text)")
            }
        }
        lines += [
            "",
            "Order: first the live runs with a gate that \(user) may approve (highlighted, marked !),",
            "then the other live runs, newest first, then the runs nobody serves, latest ended first.",
            "",
            "Marks: ! waits on you · \(live) live (a Baton answers on its host.sock) · \(died) its Baton died",
            "before the run ended (baton resume RUN takes it up) · ? its journal cannot be read.",
            "PROGRESS (DONE on a narrow screen, without the bar) counts the steps that succeeded or",
            "were skipped, as baton runs does. ELAPSED is wall time from the start to the end, to now",
            "while live, or to the last thing a run whose Baton died recorded.",
            "",
            "The selection follows its run as the list changes; on the first row it stays on the",
            "first row. The list follows the runs folder as it changes; nothing is polled.",
            "",
            "Mouse: a click selects a run, a double click opens it as Enter does, the wheel moves",
            "the selection, a click on a key hint below is that key. baton top --no-mouse (or",
            "BATON_MOUSE=0) leaves the mouse to the terminal, here and in the consoles top opens.",
        ]
        return lines
    }
}
