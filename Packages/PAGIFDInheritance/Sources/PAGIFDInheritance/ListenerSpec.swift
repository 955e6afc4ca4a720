/// A listener as a user configures it: where to listen, before anything is bound.
///
/// Hosts are kept as written (a name such as `localhost` is resolved only when binding or
/// matching). Parse one from text with ``init(parsing:syntax:)``.
public enum ListenerSpec: Sendable, Hashable, CustomStringConvertible {
    /// A TCP listener. A `nil` host means "port only": all IPv4 interfaces (`0.0.0.0`), as
    /// Server::Starter binds it.
    case tcp(host: String?, port: UInt16)
    /// A UDP socket (bound, never listening) — start_server's `u` port form.
    case udp(host: String?, port: UInt16)
    /// A unix-domain stream listener at a file path, or `@name` for a Linux abstract socket.
    case unix(path: String)

    /// The text form Server::Starter puts in `SERVER_STARTER_PORT`: `8080`, `host:8080`,
    /// `[::1]:8080` or the path. UDP is written without its `u` marker, as the original does; the
    /// socket type travels with the descriptor.
    public var description: String {
        switch self {
        case .tcp(let host, let port), .udp(let host, let port):
            guard let host else { return String(port) }
            return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path):
            return path
        }
    }

    /// Whether this listener is a unix-domain socket.
    public var isUnix: Bool {
        if case .unix = self { return true }
        return false
    }
}
