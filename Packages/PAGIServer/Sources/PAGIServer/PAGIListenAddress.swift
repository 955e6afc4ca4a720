/// One endpoint the server listens on: a TCP host and port, or a Unix-domain socket path.
public enum PAGIListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// A TCP listener. `host` is a numeric IPv4/IPv6 address or a name; port `0` picks a free port.
    case tcp(host: String, port: Int)
    /// A Unix-domain listener at `path`; `mode` (e.g. `0o660`) is applied with `chmod` right after
    /// binding, otherwise the socket is created `0600`.
    case unix(path: String, mode: UInt16? = nil)

    /// Parses a `--listen` value (server-behaviour §14).
    ///
    /// A value starting with `/` or `.` is a socket path even if it contains `:`; `[v6]:port` is an
    /// IPv6 TCP address (brackets removed); `host:port` with a numeric port is TCP; anything else
    /// is a socket path.
    /// - Parameters:
    ///   - spec: The value as the user wrote it.
    ///   - socketMode: The mode to give a Unix socket, if any.
    /// - Throws: ``PAGIServerConfigurationError`` when a TCP port is out of range or the value is empty.
    public init(parsing spec: String, socketMode: UInt16? = nil) throws(PAGIServerConfigurationError) {
        guard !spec.isEmpty else {
            throw .invalidListenSpec(spec, "it is empty; use HOST:PORT, [IPV6]:PORT or a socket path")
        }
        if spec.hasPrefix("/") || spec.hasPrefix(".") {
            self = .unix(path: spec, mode: socketMode)
            return
        }
        guard let colon = spec.lastIndex(of: ":") else {
            self = .unix(path: spec, mode: socketMode)
            return
        }
        let portText = spec[spec.index(after: colon)...]
        guard !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            self = .unix(path: spec, mode: socketMode)
            return
        }
        guard portText.count <= 5, let port = Int(portText), port <= 65535 else {
            throw .invalidListenSpec(spec, "the port \(portText) is outside 0...65535")
        }
        var host = String(spec[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty else {
            throw .invalidListenSpec(spec, "the host is empty; write 0.0.0.0:\(port) to listen on every interface")
        }
        self = .tcp(host: host, port: port)
    }

    /// The address as the startup banner prints it: `http://host:port/` or `unix:path`.
    public var description: String {
        switch self {
        case .tcp(let host, let port):
            host.contains(":") ? "http://[\(host)]:\(port)/" : "http://\(host):\(port)/"
        case .unix(let path, _):
            "unix:\(path)"
        }
    }
}
