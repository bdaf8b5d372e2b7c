/// A terminal colour: the terminal's default, one of the 16 ANSI colours, or a 256-colour index.
public enum Color: Sendable, Hashable {
    case `default`
    /// 0–15: black, red, green, yellow, blue, magenta, cyan, white, then their bright forms.
    case ansi(UInt8)
    /// 0–255 of the xterm 256-colour palette.
    case indexed(UInt8)

    public static let black = Color.ansi(0)
    public static let red = Color.ansi(1)
    public static let green = Color.ansi(2)
    public static let yellow = Color.ansi(3)
    public static let blue = Color.ansi(4)
    public static let magenta = Color.ansi(5)
    public static let cyan = Color.ansi(6)
    public static let white = Color.ansi(7)
    public static let brightBlack = Color.ansi(8)
    public static let brightWhite = Color.ansi(15)

    /// The colour as the nearest of the first `count` palette entries (8, 16 or 256), or nil for the default.
    public func paletteIndex(limit count: Int) -> Int? {
        switch self {
        case .default: return nil
        case .ansi(let value):
            let index = Int(value)
            return count >= 16 ? index : index % 8
        case .indexed(let value):
            let index = Int(value)
            if count >= 256 { return index }
            if index < 16 { return count >= 16 ? index : index % 8 }
            return Self.nearestAnsi(index, bright: count >= 16)
        }
    }

    /// Maps a 256-colour index to the ANSI colour of the same hue: greys by lightness, other
    /// colours by which channels stand out from the weakest one (so pastels and dark shades
    /// keep their hue), bright when the strongest channel is high.
    private static func nearestAnsi(_ index: Int, bright: Bool) -> Int {
        let (r, g, b): (Int, Int, Int)
        if index >= 232 {
            let level = (index - 232) * 10 + 8
            (r, g, b) = (level, level, level)
        } else {
            let cube = index - 16
            let steps = [0, 95, 135, 175, 215, 255]
            (r, g, b) = (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
        }
        let high = max(r, g, b), low = min(r, g, b)
        if high - low < 40 {
            // Grey: on 8 colours only black or white exist, so mid greys become white to stay visible.
            if !bright { return high >= 80 ? 7 : 0 }
            switch high {
            case ..<48: return 0
            case ..<150: return 8
            case ..<220: return 7
            default: return 15
            }
        }
        let half = (high - low) / 2
        let base = (r - low >= half ? 1 : 0) | (g - low >= half ? 2 : 0) | (b - low >= half ? 4 : 0)
        return bright && high > 200 ? base + 8 : base
    }
}
