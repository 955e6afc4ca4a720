/// The address a socket is actually bound to, as the kernel reports it (`getsockname`).
///
/// Hosts are numeric (`127.0.0.1`, `::1`); names are never resolved here. A unix path that starts
/// with `@` is a Linux abstract socket name (no file on disk); an empty path is an unnamed socket.
public enum ListenerAddress: Sendable, Hashable, CustomStringConvertible {
    /// An IPv4 address in dotted-quad form and a port.
    case ipv4(host: String, port: UInt16)
    /// An IPv6 address in canonical `inet_ntop` form (no brackets) and a port.
    case ipv6(host: String, port: UInt16)
    /// A unix-domain socket path, or `@name` for an abstract socket.
    case unix(path: String)

    /// The port of an IP address; `nil` for unix sockets.
    public var port: UInt16? {
        switch self {
        case .ipv4(_, let port), .ipv6(_, let port): port
        case .unix: nil
        }
    }

    /// `127.0.0.1:5000`, `[::1]:5000`, `/run/app.sock` or `@name`.
    public var description: String {
        switch self {
        case .ipv4(let host, let port): "\(host):\(port)"
        case .ipv6(let host, let port): "[\(host)]:\(port)"
        case .unix(let path): path
        }
    }
}

/// The type of a socket, as `SO_TYPE` reports it.
public enum SocketKind: Sendable, Hashable, CustomStringConvertible {
    /// `SOCK_STREAM`: TCP or a stream unix socket; must be listening to be served.
    case stream
    /// `SOCK_DGRAM`: UDP or a datagram unix socket; bound, never listening.
    case datagram
    /// `SOCK_SEQPACKET`: a unix sequenced-packet socket; must be listening to be served.
    case sequencedPacket

    /// `stream`, `datagram` or `seqpacket`.
    public var description: String {
        switch self {
        case .stream: "stream"
        case .datagram: "datagram"
        case .sequencedPacket: "seqpacket"
        }
    }
}
