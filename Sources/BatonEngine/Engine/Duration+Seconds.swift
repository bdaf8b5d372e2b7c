extension Duration {
    /// The duration in seconds, with its fraction: what a wall-clock time is counted in.
    package var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
