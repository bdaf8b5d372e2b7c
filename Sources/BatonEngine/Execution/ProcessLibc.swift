#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few C library calls the shell executor needs that Swift's `Glibc` module hides (they
/// sit behind `_GNU_SOURCE`), looked up once at run time. Each is optional: when the C
/// library lacks one, the executor takes a slower or weaker path that needs no such call.
enum ProcessLibc {
    typealias PidfdOpen = @convention(c) (pid_t, UInt32) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> Int32
    typealias AddChdir = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutableRawPointer?, Int32) -> Int32

    /// `pidfd_open(2)` (glibc 2.36): a descriptor that becomes readable when the process exits.
    static let pidfdOpen: PidfdOpen? = symbol("pidfd_open")
    /// `pipe2(2)`: a pipe whose ends are close-on-exec from birth (no window for a concurrent
    /// spawn to inherit them).
    static let pipe2: Pipe2? = symbol("pipe2")
    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29): the child changes directory itself.
    static let addChdir: AddChdir? = symbol("posix_spawn_file_actions_addchdir_np")
    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34): the child closes every
    /// descriptor from 3 up, so files Baton holds open never leak into steps.
    static let addClosefrom: AddClosefrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<T>(_ name: String) -> T? {
        #if canImport(Glibc)
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: T.self)
        #else
        return nil
        #endif
    }

    /// The current time on the monotonic clock, in nanoseconds.
    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    /// The message for an `errno` value.
    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
