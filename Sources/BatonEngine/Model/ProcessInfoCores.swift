import Foundation

/// The number of CPU cores this process may use, for the default concurrency.
enum ProcessInfoCores {
    static var count: Int { ProcessInfo.processInfo.activeProcessorCount }
}
