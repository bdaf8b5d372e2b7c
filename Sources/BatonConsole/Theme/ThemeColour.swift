import BatonTerminal
import Foundation

/// Colour values as written in theme files: `default`, one of the 16 ANSI names, a palette
/// index 0–255, or `#rrggbb`, which becomes the nearest entry of the xterm 256-colour palette.
enum ThemeColour {
    /// The 16 ANSI colour names by number, as written in theme files.
    static let names: [String] = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// Every word that names a colour, for suggestions.
    static let words: [String] = ["default"] + names

    /// What to write instead, for messages.
    static let expected = "use default, a name like red, 0–255, or #rrggbb"

    /// The colour `text` names, or nil when it is not a colour.
    ///
    /// Names are matched ignoring case, and `bright_red` is taken for `bright-red`.
    /// Numbers 0–255 are palette indexes; hex colours map to the nearest of entries 16–255,
    /// the part of the palette that terminals do not let users redefine.
    static func parse(_ text: String) -> Color? {
        let word = text.lowercased().replacingOccurrences(of: "_", with: "-")
        if word == "default" { return .default }
        if let number = names.firstIndex(of: word) { return .ansi(UInt8(number)) }
        if !text.isEmpty, text.utf8.count <= 3, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
           let value = Int(text), value <= 255 {
            return .indexed(UInt8(value))
        }
        if let (red, green, blue) = hexComponents(text) {
            return .indexed(nearestIndex(red: red, green: green, blue: blue))
        }
        return nil
    }

    /// The components of `#rrggbb`, or nil when `text` is not in that form.
    static func hexComponents(_ text: String) -> (Int, Int, Int)? {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[0] == UInt8(ascii: "#") else { return nil }
        var values: [Int] = []
        for pair in stride(from: 1, to: 7, by: 2) {
            guard let high = hexDigit(bytes[pair]), let low = hexDigit(bytes[pair + 1]) else { return nil }
            values.append(high * 16 + low)
        }
        return (values[0], values[1], values[2])
    }

    private static func hexDigit(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// The index among 16–255 of the xterm palette whose colour is nearest (by squared
    /// distance in RGB) to the given one; ties go to the lower index.
    static func nearestIndex(red: Int, green: Int, blue: Int) -> UInt8 {
        var best = 16
        var bestDistance = Int.max
        for index in 16...255 {
            let (r, g, b) = rgb(ofIndex: index)
            let distance = (r - red) * (r - red) + (g - green) * (g - green) + (b - blue) * (b - blue)
            if distance < bestDistance {
                best = index
                bestDistance = distance
                if distance == 0 { break }
            }
        }
        return UInt8(best)
    }

    /// The RGB value xterm gives palette entry `index` (0–255).
    static func rgb(ofIndex index: Int) -> (Int, Int, Int) {
        switch index {
        case ..<16:
            let basic: [(Int, Int, Int)] = [
                (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
                (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
            ]
            return basic[max(0, index)]
        case 16...231:
            let cube = index - 16
            let steps = [0, 95, 135, 175, 215, 255]
            return (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
        default:
            let level = (min(index, 255) - 232) * 10 + 8
            return (level, level, level)
        }
    }
}
