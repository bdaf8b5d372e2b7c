/// The dice behind `simulate.failure_chance`: a number in [0, 1) that depends only on a seed,
/// a step id and an attempt number.
///
/// It does not depend on the order in which steps run, so the same seed injects the same
/// failures however a run is scheduled, paused or resumed.
public enum InjectedFailure {
    /// A uniformly spread number in [0, 1) for one attempt of one step under `seed`.
    public static func roll(seed: UInt64, stepID: String, attempt: Int) -> Double {
        // FNV-1a over the step id, mixed with the seed and attempt, then SplitMix64's finaliser.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in stepID.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        var mixed = hash ^ (seed &* 0x9e37_79b9_7f4a_7c15) ^ (UInt64(truncatingIfNeeded: attempt) &* 0xbf58_476d_1ce4_e5b9)
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        mixed ^= mixed >> 31
        return Double(mixed >> 11) / Double(UInt64(1) << 53)
    }

    /// A fresh seed for a run that was given none.
    public static func randomSeed() -> UInt64 {
        UInt64.random(in: 1...999_999)
    }
}
