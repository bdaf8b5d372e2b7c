import Foundation

extension RunHost {
    /// Whether a Baton serves a run at a socket path, as a client would find it.
    public enum Presence: Sendable, Hashable {
        /// A host listens: the run is live.
        case serving
        /// A socket file nobody answers on: the Baton that made it died.
        case stale
        /// No socket file: no Baton serves the run.
        case absent
        /// The socket is not open to this user, so its presence says nothing about the host.
        case forbidden
    }

    /// Looks whether a host listens at `path`, without waiting: a host whose queue of new
    /// connections is full still counts as serving. The connection is closed at once; the host
    /// greets it and sees it go, as it does any client.
    public static func presence(at path: String) -> Presence {
        guard var address = try? address(path) else { return .absent }
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard probe >= 0 else { return .absent }
        defer { close(probe) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if connected == 0 { return .serving }
        switch errno {
        case EAGAIN, EINPROGRESS: return .serving
        case ENOENT, ENOTDIR: return .absent
        case EACCES, EPERM: return .forbidden
        default: return .stale
        }
    }
}
