/// Everything the server knows about one finished request, as the access-log renderer reads it.
///
/// The server fills one value per request (HTTP), or per session (SSE, WebSocket), and hands it to
/// ``AccessLogFormat/render(_:into:)``. Every field has the default the reference server prints
/// when the fact is unknown, so a request aborted before its head was parsed still renders.
///
/// Strings are kept as the server received them (raw, undecoded path and query); the renderer
/// escapes them, so a client cannot forge lines. Building the entry costs the server no copies if
/// it already holds these strings for the request scope.
///
/// - Important: `Headers` is a generic parameter, not an existential, so the per-line header
///   lookups of `%{Name}i` / `%{Name}o` are direct calls on the server's own header type.
public struct AccessLogEntry<Headers: AccessLogHeaderLookup> {
    /// Everything but the headers; kept non-generic so the renderer's core is compiled once
    /// and only the header lookups are specialised for `Headers` (see ``AccessLogFormat/render(_:into:)``).
    public var info: AccessLogRequestInfo
    /// The request's header fields (`%{Name}i`).
    public var requestHeaders: Headers
    /// The response's header fields (`%{Name}o`).
    public var responseHeaders: Headers

    /// Creates an entry from the non-header facts and the two header lists.
    /// - Parameters:
    ///   - info: The request's facts.
    ///   - requestHeaders: The request header fields.
    ///   - responseHeaders: The response header fields.
    public init(info: AccessLogRequestInfo, requestHeaders: Headers, responseHeaders: Headers) {
        self.info = info
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
    }

    /// Creates an entry; every fact not given takes the value the reference server prints when unknown.
    /// - Parameters:
    ///   - client: The remote peer.
    ///   - server: The local end of the connection.
    ///   - method: The request method.
    ///   - path: The raw request path without the query.
    ///   - query: The raw query string without `?`.
    ///   - httpVersion: The HTTP version without `HTTP/`.
    ///   - status: The response status, `nil` if no response started.
    ///   - bodyBytes: Response body bytes.
    ///   - bytesReceived: Bytes received including the request head.
    ///   - bytesSent: Bytes sent including the response head.
    ///   - requestHeaders: The request header fields.
    ///   - responseHeaders: The response header fields.
    ///   - startTime: When the request started.
    ///   - duration: How long the request took.
    ///   - processID: The serving process id.
    ///   - keepAliveRequests: Requests served earlier on this connection.
    ///   - connectionStatus: The connection's fate after the response.
    public init(
        client: AccessLogPeer = .unknown,
        server: AccessLogPeer = .unknown,
        method: String? = nil,
        path: String? = nil,
        query: String? = nil,
        httpVersion: String? = nil,
        status: Int? = nil,
        bodyBytes: Int = 0,
        bytesReceived: Int = 0,
        bytesSent: Int = 0,
        requestHeaders: Headers,
        responseHeaders: Headers,
        startTime: AccessLogTimestamp = AccessLogTimestamp(secondsSinceEpoch: 0),
        duration: Duration = .zero,
        processID: Int = 0,
        keepAliveRequests: Int = 0,
        connectionStatus: AccessLogConnectionStatus = .closed
    ) {
        self.info = AccessLogRequestInfo(
            client: client, server: server, method: method, path: path, query: query, httpVersion: httpVersion,
            status: status, bodyBytes: bodyBytes, bytesReceived: bytesReceived, bytesSent: bytesSent,
            startTime: startTime, duration: duration, processID: processID, keepAliveRequests: keepAliveRequests,
            connectionStatus: connectionStatus
        )
        self.requestHeaders = requestHeaders
        self.responseHeaders = responseHeaders
    }

    /// The remote peer (`%h`, `%a`); `.unix` prints `unix`, `.unknown` prints `-`.
    public var client: AccessLogPeer {
        get { self.info.client }
        set { self.info.client = newValue }
    }

    /// The local end of the connection (`%A`, `%p`).
    public var server: AccessLogPeer {
        get { self.info.server }
        set { self.info.server = newValue }
    }

    /// The request method (`%m`, `%r`); `nil` prints `-`.
    public var method: String? {
        get { self.info.method }
        set { self.info.method = newValue }
    }

    /// The raw, undecoded request path without the query (`%U`, `%r`); `nil` prints `/`.
    public var path: String? {
        get { self.info.path }
        set { self.info.path = newValue }
    }

    /// The raw query string without `?` (`%q`, `%r`); `nil` or empty prints nothing.
    public var query: String? {
        get { self.info.query }
        set { self.info.query = newValue }
    }

    /// The HTTP version without the `HTTP/` prefix, e.g. `1.1` (`%H`, `%r`); `nil` prints `1.1`.
    public var httpVersion: String? {
        get { self.info.httpVersion }
        set { self.info.httpVersion = newValue }
    }

    /// The response status (`%s`); `nil` (no response started) prints `-`.
    public var status: Int? {
        get { self.info.status }
        set { self.info.status = newValue }
    }

    /// Response body bytes (`%b`, `%B`): body chunks plus requested file lengths; 0 for HEAD,
    /// WebSocket and SSE (server-behaviour §10.1).
    public var bodyBytes: Int {
        get { self.info.bodyBytes }
        set { self.info.bodyBytes = newValue }
    }

    /// Bytes received on the wire for this request including its head (`%I`).
    public var bytesReceived: Int {
        get { self.info.bytesReceived }
        set { self.info.bytesReceived = newValue }
    }

    /// Bytes sent on the wire for this response including its head (`%O`).
    public var bytesSent: Int {
        get { self.info.bytesSent }
        set { self.info.bytesSent = newValue }
    }

    /// When the request started, as wall-clock time (`%t`, `%{…}t`).
    public var startTime: AccessLogTimestamp {
        get { self.info.startTime }
        set { self.info.startTime = newValue }
    }

    /// How long the request took (`%d`, `%D`, `%T`); negative values print as zero.
    public var duration: Duration {
        get { self.info.duration }
        set { self.info.duration = newValue }
    }

    /// The process id of the worker that served the request (`%P`).
    public var processID: Int {
        get { self.info.processID }
        set { self.info.processID = newValue }
    }

    /// How many requests this keep-alive connection served before this one (`%k`); 0 for the first.
    public var keepAliveRequests: Int {
        get { self.info.keepAliveRequests }
        set { self.info.keepAliveRequests = newValue }
    }

    /// What happened to the connection after the response (`%X`).
    public var connectionStatus: AccessLogConnectionStatus {
        get { self.info.connectionStatus }
        set { self.info.connectionStatus = newValue }
    }
}

extension AccessLogEntry: Sendable where Headers: Sendable {}

/// The facts of one finished request other than its headers, as the access-log renderer reads them.
///
/// Every field has the default the reference server prints when the fact is unknown.
public struct AccessLogRequestInfo: Sendable, Hashable {
    /// The remote peer (`%h`, `%a`); `.unix` prints `unix`, `.unknown` prints `-`.
    public var client: AccessLogPeer
    /// The local end of the connection (`%A`, `%p`).
    public var server: AccessLogPeer
    /// The request method (`%m`, `%r`); `nil` prints `-`.
    public var method: String?
    /// The raw, undecoded request path without the query (`%U`, `%r`); `nil` prints `/`.
    public var path: String?
    /// The raw query string without `?` (`%q`, `%r`); `nil` or empty prints nothing.
    public var query: String?
    /// The HTTP version without the `HTTP/` prefix, e.g. `1.1` (`%H`, `%r`); `nil` prints `1.1`.
    public var httpVersion: String?
    /// The response status (`%s`); `nil` (no response started) prints `-`.
    public var status: Int?
    /// Response body bytes (`%b`, `%B`): body chunks plus requested file lengths; 0 for HEAD,
    /// WebSocket and SSE (server-behaviour §10.1).
    public var bodyBytes: Int
    /// Bytes received on the wire for this request including its head (`%I`).
    public var bytesReceived: Int
    /// Bytes sent on the wire for this response including its head (`%O`).
    public var bytesSent: Int
    /// When the request started, as wall-clock time (`%t`, `%{…}t`).
    public var startTime: AccessLogTimestamp
    /// How long the request took (`%d`, `%D`, `%T`); negative values print as zero.
    public var duration: Duration {
        get { .nanoseconds(Int64(clamping: self.durationNanoseconds)) }
        set { self.durationNanoseconds = AccessLogDurationFormatter.nanoseconds(newValue) }
    }
    /// The duration in whole nanoseconds, as the renderer reads it. Converting a `Duration`
    /// divides a 128-bit count of attoseconds; doing it once here, not once per duration atom,
    /// took that division out of the render loop.
    public var durationNanoseconds: UInt64
    /// The process id of the worker that served the request (`%P`).
    public var processID: Int
    /// How many requests this keep-alive connection served before this one (`%k`); 0 for the first.
    public var keepAliveRequests: Int
    /// What happened to the connection after the response (`%X`).
    public var connectionStatus: AccessLogConnectionStatus

    /// Creates the facts; every fact not given takes the value the reference server prints when unknown.
    /// - Parameters:
    ///   - client: The remote peer.
    ///   - server: The local end of the connection.
    ///   - method: The request method.
    ///   - path: The raw request path without the query.
    ///   - query: The raw query string without `?`.
    ///   - httpVersion: The HTTP version without `HTTP/`.
    ///   - status: The response status, `nil` if no response started.
    ///   - bodyBytes: Response body bytes.
    ///   - bytesReceived: Bytes received including the request head.
    ///   - bytesSent: Bytes sent including the response head.
    ///   - startTime: When the request started.
    ///   - duration: How long the request took.
    ///   - processID: The serving process id.
    ///   - keepAliveRequests: Requests served earlier on this connection.
    ///   - connectionStatus: The connection's fate after the response.
    public init(
        client: AccessLogPeer = .unknown,
        server: AccessLogPeer = .unknown,
        method: String? = nil,
        path: String? = nil,
        query: String? = nil,
        httpVersion: String? = nil,
        status: Int? = nil,
        bodyBytes: Int = 0,
        bytesReceived: Int = 0,
        bytesSent: Int = 0,
        startTime: AccessLogTimestamp = AccessLogTimestamp(secondsSinceEpoch: 0),
        duration: Duration = .zero,
        processID: Int = 0,
        keepAliveRequests: Int = 0,
        connectionStatus: AccessLogConnectionStatus = .closed
    ) {
        self.client = client
        self.server = server
        self.method = method
        self.path = path
        self.query = query
        self.httpVersion = httpVersion
        self.status = status
        self.bodyBytes = bodyBytes
        self.bytesReceived = bytesReceived
        self.bytesSent = bytesSent
        self.startTime = startTime
        self.durationNanoseconds = AccessLogDurationFormatter.nanoseconds(duration)
        self.processID = processID
        self.keepAliveRequests = keepAliveRequests
        self.connectionStatus = connectionStatus
    }
}


/// One end of a connection as the access log prints it.
public enum AccessLogPeer: Sendable, Hashable {
    /// An IP peer. `address` is the textual IP (`127.0.0.1`, `::1`) the server formats once per
    /// connection; `port` is its port.
    case ip(address: String, port: Int)
    /// A Unix-domain socket peer; prints `unix` for the address and `-` for the port.
    case unix
    /// Not known (for example a socket that was already closed); prints `-`.
    case unknown
}

/// What became of the connection once the response was done (`%X`, as Apache's `%X`).
public enum AccessLogConnectionStatus: Sendable, Hashable, CaseIterable {
    /// The connection was aborted before the response completed; prints `X`.
    case aborted
    /// The connection stays open for another request; prints `+`.
    case keptAlive
    /// The connection is closed after the response; prints `-`.
    case closed
}

/// A wall-clock instant as seconds and nanoseconds since the Unix epoch (UTC).
///
/// Kept as two integers rather than a Foundation `Date` so the package needs no Foundation and
/// rendering does no floating-point calendar work.
public struct AccessLogTimestamp: Sendable, Hashable, Comparable {
    /// Whole seconds since 1970-01-01T00:00:00Z.
    public var secondsSinceEpoch: Int64
    /// The fraction of the second, `0..<1_000_000_000`.
    public var nanoseconds: Int32

    /// Creates a timestamp.
    /// - Parameters:
    ///   - secondsSinceEpoch: Whole seconds since the Unix epoch.
    ///   - nanoseconds: The fraction of the second in nanoseconds; values outside
    ///     `0..<1_000_000_000` are carried into the seconds.
    public init(secondsSinceEpoch: Int64, nanoseconds: Int32 = 0) {
        let carry = Int64(nanoseconds).quotientAndRemainder(dividingBy: 1_000_000_000)
        var seconds = secondsSinceEpoch &+ carry.quotient
        var fraction = carry.remainder
        if fraction < 0 {
            fraction += 1_000_000_000
            seconds &-= 1
        }
        self.secondsSinceEpoch = seconds
        self.nanoseconds = Int32(fraction)
    }

    /// Orders timestamps in time.
    /// - Parameters:
    ///   - lhs: The first instant.
    ///   - rhs: The second instant.
    /// - Returns: Whether `lhs` is earlier than `rhs`.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.secondsSinceEpoch, lhs.nanoseconds) < (rhs.secondsSinceEpoch, rhs.nanoseconds)
    }
}
