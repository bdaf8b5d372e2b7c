import BatonTestSupport

/// The console tests' name for the shared child-process runner, which moved to
/// BatonTestSupport so the engine tests (and the loopback SSH fleet) spawn children the same
/// way; the alias keeps every file here compiling without its own import.
typealias ChildProcess = BatonTestSupport.ChildProcess
