import Foundation

/// How `baton` asks glibc's malloc to keep its resident memory small, through functions of
/// `<malloc.h>` that Swift's Glibc module leaves out (looked up by name; elsewhere nothing
/// happens).
///
/// A workflow is loaded on a thread of its own, and its node tree, freed once the workflow is
/// built, is most of the memory a large run ever holds at once (bench/console.py).
enum MallocTuning {
    /// Two malloc arenas for all threads (`mallopt(M_ARENA_MAX, 2)`). With an arena per
    /// thread, what the loading thread freed stayed resident beside what the engine and the
    /// console allocated next (73 MB at 10,000 steps, 59 MB with one arena). With one, the
    /// loader and the thread that takes the definition's fingerprint beside it spent half
    /// their time waiting for each other's malloc lock (a first frame 25 ms later). Called
    /// first thing, before any thread starts.
    static func useFewArenas() {
        #if canImport(Glibc)
        typealias Option = @convention(c) (Int32, Int32) -> Int32
        let arenaMaximum: Int32 = -8  // M_ARENA_MAX
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Option.self)(arenaMaximum, 2)
        #endif
    }

    /// Gives the pages malloc holds free back to the system (`malloc_trim(0)`), after a large
    /// workflow's node tree is freed, so the run's engine and console start from the memory
    /// the workflow itself needs.
    static func releaseFreePages() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }
}
