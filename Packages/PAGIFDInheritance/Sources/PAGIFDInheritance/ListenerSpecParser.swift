extension ListenerSpec {
    /// Which spelling of listener specs to accept.
    public struct Syntax: Sendable, Hashable {
        /// Accept start_server's `u` port marker (`u53`, `host:u53`, `[::1]:u53`) for UDP.
        public var allowsUDP: Bool
        /// Treat text that is no port, `host:port` or `[v6]:port` as a unix path (pagi-server's
        /// `--listen` rule and what `SERVER_STARTER_PORT` carries for `--path`); when `false` only
        /// text starting with `/`, `.` or `@` is a path and anything else is an error.
        public var bareWordsAreUnixPaths: Bool

        /// Creates a syntax.
        /// - Parameters:
        ///   - allowsUDP: Accept the `u` port marker.
        ///   - bareWordsAreUnixPaths: Treat unrecognised text as a unix path.
        public init(allowsUDP: Bool, bareWordsAreUnixPaths: Bool) {
            self.allowsUDP = allowsUDP
            self.bareWordsAreUnixPaths = bareWordsAreUnixPaths
        }

        /// start_server's `--port`/`--path`: UDP allowed, typos are errors.
        public static let serverStarter = Syntax(allowsUDP: true, bareWordsAreUnixPaths: false)
        /// pagi-server's `--listen`: TCP or unix only; unrecognised text is a unix path.
        public static let listenOption = Syntax(allowsUDP: false, bareWordsAreUnixPaths: true)
        /// The left side of a `SERVER_STARTER_PORT` entry: any path the supervisor was given.
        public static let serverStarterEnvironment = Syntax(allowsUDP: false, bareWordsAreUnixPaths: true)
    }

    /// Parses `5000`, `127.0.0.1:5000`, `localhost:5000`, `[::1]:5000`, `/run/app.sock`,
    /// `./app.sock` or `@abstract`.
    ///
    /// Text starting with `/`, `.` or `@` is always a unix path, even when it contains `:`.
    /// Surrounding whitespace is not accepted: specs come from argv and the environment verbatim.
    ///
    /// - Parameters:
    ///   - text: The spec as written.
    ///   - syntax: Which spellings to accept; ``Syntax/serverStarter`` by default.
    /// - Throws: ``FDInheritanceError`` with code ``FDInheritanceError/Code/invalidListenerSpec``
    ///   naming the text and the problem.
    public init(parsing text: String, syntax: Syntax = .serverStarter) throws(FDInheritanceError) {
        guard let first = text.utf8.first else {
            throw .invalidSpec(text, "it is empty")
        }
        if first == UInt8(ascii: "/") || first == UInt8(ascii: ".") || first == UInt8(ascii: "@") {
            self = .unix(path: text)
            return
        }
        if let (isUDP, port) = try Self.parsePort(Substring(text), in: text, syntax: syntax) {
            self = isUDP ? .udp(host: nil, port: port) : .tcp(host: nil, port: port)
            return
        }
        if let (host, portText) = Self.splitHostPort(text) {
            if host.hasPrefix("[") {
                let inner = host.dropFirst().dropLast()
                guard host.hasSuffix("]"), !inner.isEmpty, SocketAddressStorage(numericHost: String(inner), port: 0) != nil,
                    inner.contains(":")
                else {
                    throw .invalidSpec(text, "'\(host)' is not a bracketed IPv6 address")
                }
                guard let (isUDP, port) = try Self.parsePort(portText, in: text, syntax: syntax) else {
                    throw .invalidSpec(text, "'\(portText)' is not a port number")
                }
                self = isUDP ? .udp(host: String(inner), port: port) : .tcp(host: String(inner), port: port)
                return
            }
            if !host.isEmpty, !host.contains(":"), let (isUDP, port) = try Self.parsePort(portText, in: text, syntax: syntax) {
                self = isUDP ? .udp(host: String(host), port: port) : .tcp(host: String(host), port: port)
                return
            }
        }
        guard syntax.bareWordsAreUnixPaths else {
            throw .invalidSpec(text, "it is neither a port nor HOST:PORT, and a unix path must start with '/', '.' or '@'")
        }
        self = .unix(path: text)
    }

    /// Splits at the last `:`; `nil` when there is none.
    private static func splitHostPort(_ text: String) -> (host: Substring, port: Substring)? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        return (text[..<colon], text[text.index(after: colon)...])
    }

    /// Parses `[u]digits`; `nil` when `text` is not that shape, an error when it is but out of range.
    private static func parsePort(
        _ text: Substring,
        in spec: String,
        syntax: Syntax
    ) throws(FDInheritanceError) -> (isUDP: Bool, port: UInt16)? {
        var digits = text
        var isUDP = false
        if syntax.allowsUDP, digits.first == "u" {
            isUDP = true
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        guard digits.count <= 5, let value = Int(digits), value <= Int(UInt16.max) else {
            throw .invalidSpec(spec, "port \(digits) is out of range 0...65535")
        }
        return (isUDP, UInt16(value))
    }
}
