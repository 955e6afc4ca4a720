/// The description of one request, connection or process lifetime handed to an application.
///
/// Each case carries the keys the protocol defines for that scope type (protocol §3). Scopes are
/// values: a middleware that changes one changes its own copy, which is exactly the shallow-copy
/// rule of the protocol. Objects reached through a scope (``PAGIConnectionState``,
/// ``PAGITransportState``, references stored in ``PAGIState``) stay shared.
public enum PAGIScope: Sendable {
    /// One HTTP request.
    case http(HTTPScope)
    /// One WebSocket connection, for its whole life.
    case websocket(WebSocketScope)
    /// One Server-Sent Events stream, for its whole life.
    case sse(SSEScope)
    /// One server process or worker, for its whole life.
    case lifespan(LifespanScope)

    /// The scope's `type`.
    public var type: PAGIScopeType {
        switch self {
        case .http: .http
        case .websocket: .websocket
        case .sse: .sse
        case .lifespan: .lifespan
        }
    }

    /// The `pagi` map of the scope.
    public var pagi: PAGIVersionInfo {
        switch self {
        case .http(let scope): scope.pagi
        case .websocket(let scope): scope.pagi
        case .sse(let scope): scope.pagi
        case .lifespan(let scope): scope.pagi
        }
    }

    /// The request details shared by http, websocket and sse scopes; `nil` for lifespan.
    public var request: PAGIRequestInfo? {
        switch self {
        case .http(let scope): scope.request
        case .websocket(let scope): scope.request
        case .sse(let scope): scope.request
        case .lifespan: nil
        }
    }
}

/// The `type` of a scope.
public enum PAGIScopeType: String, Sendable, Hashable, CaseIterable {
    /// `"http"`
    case http
    /// `"websocket"`
    case websocket
    /// `"sse"`
    case sse
    /// `"lifespan"`
    case lifespan
}

/// The scope's `pagi` map: which protocol versions govern it.
public struct PAGIVersionInfo: Sendable, Hashable {
    /// The core specification version this library implements.
    public static let current = PAGIVersionInfo(version: "0.3", specVersion: "0.3")

    /// The core specification version, e.g. `"0.3"`.
    public var version: String
    /// The sub-specification version governing the scope; equal to ``version`` when the server does not say.
    public var specVersion: String

    /// Creates a version map.
    /// - Parameters:
    ///   - version: The core specification version.
    ///   - specVersion: The sub-specification version.
    public init(version: String, specVersion: String) {
        self.version = version
        self.specVersion = specVersion
    }
}

/// The HTTP version of a request (`http_version`).
public enum PAGIHTTPVersion: String, Sendable, Hashable, CaseIterable {
    /// `"1.0"`
    case http1_0 = "1.0"
    /// `"1.1"`
    case http1_1 = "1.1"
    /// `"2"`
    case http2 = "2"
}

/// A peer's TCP address (`client`).
public struct PAGIClientAddress: Sendable, Hashable {
    /// The numeric host, e.g. `127.0.0.1` or `::1`.
    public var host: String
    /// The port.
    public var port: Int

    /// Creates a client address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

/// The local address a request arrived on (`server`).
///
/// For Unix-domain sockets ``host`` is the socket path and ``port`` is `nil`.
public struct PAGIServerAddress: Sendable, Hashable {
    /// The numeric host, or the socket path for a Unix-domain listener.
    public var host: String
    /// The port; `nil` for a Unix-domain listener.
    public var port: Int?

    /// Creates a server address.
    public init(host: String, port: Int?) {
        self.host = host
        self.port = port
    }
}

/// The keys every request-carrying scope (http, websocket, sse) shares (protocol §3.2).
public struct PAGIRequestInfo: Sendable {
    /// The `pagi` map.
    public var pagi: PAGIVersionInfo
    /// `http_version`.
    public var httpVersion: PAGIHTTPVersion
    /// `method`, upper-case. For WebSocket scopes the handshake's method (`GET` over HTTP/1.1).
    public var method: String
    /// `scheme`: `http`/`https` for http and sse scopes, `ws`/`wss` for WebSocket scopes.
    public var scheme: String
    /// `path`: the percent-decoded path; see ``PAGIPath`` for the invalid-UTF-8 rule.
    public var path: PAGIPath
    /// `raw_path`: the path bytes as sent, still percent-encoded, without the query.
    public var rawPath: [UInt8]
    /// `query_string`: the bytes after the first `?`, still percent-encoded; empty when none.
    public var queryString: [UInt8]
    /// `root_path`: the mount point; `""` unless a middleware mounts the application.
    public var rootPath: String
    /// `headers`: every request header in order, names lower-case.
    public var headers: PAGIHeaders
    /// `client`: the peer; `nil` (absent) for Unix-domain sockets.
    public var client: PAGIClientAddress?
    /// `server`: the local address; `[socket path, nil]` for Unix-domain sockets.
    public var server: PAGIServerAddress?
    /// `state`: a shallow copy of the lifespan state taken when the scope was created.
    public var state: PAGIState
    /// `extensions`: the capabilities advertised for this connection.
    public var extensions: PAGIExtensions
    /// `pagi.transport`: the outbound flow-control handle; `nil` when the server offers none.
    public var transport: PAGITransportState?
    /// Keys added by middleware, namespaced by their owner (`myapp.request_id`).
    public var attributes: [String: any Sendable]

    /// Creates request details; every optional key defaults to its protocol default.
    public init(
        pagi: PAGIVersionInfo = .current,
        httpVersion: PAGIHTTPVersion = .http1_1,
        method: String,
        scheme: String,
        path: PAGIPath,
        rawPath: [UInt8],
        queryString: [UInt8] = [],
        rootPath: String = "",
        headers: PAGIHeaders = [],
        client: PAGIClientAddress? = nil,
        server: PAGIServerAddress? = nil,
        state: PAGIState = [:],
        extensions: PAGIExtensions = PAGIExtensions(),
        transport: PAGITransportState? = nil,
        attributes: [String: any Sendable] = [:]
    ) {
        self.pagi = pagi
        self.httpVersion = httpVersion
        self.method = method
        self.scheme = scheme
        self.path = path
        self.rawPath = rawPath
        self.queryString = queryString
        self.rootPath = rootPath
        self.headers = headers
        self.client = client
        self.server = server
        self.state = state
        self.extensions = extensions
        self.transport = transport
        self.attributes = attributes
    }
}

/// An `http` scope: one request.
@dynamicMemberLookup
public struct HTTPScope: Sendable {
    /// The request keys (`method`, `path`, `headers`, …), also reachable directly: `scope.path`.
    public var request: PAGIRequestInfo
    /// `pagi.connection`: this request's connection-state handle.
    public var connection: PAGIConnectionState

    /// Creates an http scope.
    /// - Parameters:
    ///   - request: The request keys.
    ///   - connection: The per-request connection-state handle.
    public init(request: PAGIRequestInfo, connection: PAGIConnectionState = PAGIConnectionState()) {
        self.request = request
        self.connection = connection
    }

    /// Reaches a request key directly.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<PAGIRequestInfo, Value>) -> Value {
        get { self.request[keyPath: keyPath] }
        set { self.request[keyPath: keyPath] = newValue }
    }
}

/// A `websocket` scope: one WebSocket connection.
@dynamicMemberLookup
public struct WebSocketScope: Sendable {
    /// The handshake request's keys, also reachable directly: `scope.path`.
    public var request: PAGIRequestInfo
    /// `subprotocols`: the client's offered subprotocols in order; empty when none.
    public var subprotocols: [String]

    /// Creates a websocket scope.
    /// - Parameters:
    ///   - request: The handshake request's keys; `scheme` is `ws` or `wss`.
    ///   - subprotocols: The offered subprotocols.
    public init(request: PAGIRequestInfo, subprotocols: [String] = []) {
        self.request = request
        self.subprotocols = subprotocols
    }

    /// Reaches a request key directly.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<PAGIRequestInfo, Value>) -> Value {
        get { self.request[keyPath: keyPath] }
        set { self.request[keyPath: keyPath] = newValue }
    }
}

/// An `sse` scope: one Server-Sent Events stream. It carries exactly the http keys.
@dynamicMemberLookup
public struct SSEScope: Sendable {
    /// The request keys, also reachable directly: `scope.path`.
    public var request: PAGIRequestInfo

    /// Creates an sse scope.
    /// - Parameter request: The request keys.
    public init(request: PAGIRequestInfo) {
        self.request = request
    }

    /// Reaches a request key directly.
    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<PAGIRequestInfo, Value>) -> Value {
        get { self.request[keyPath: keyPath] }
        set { self.request[keyPath: keyPath] = newValue }
    }
}

/// A `lifespan` scope: one server process or worker.
public struct LifespanScope: Sendable {
    /// The `pagi` map.
    public var pagi: PAGIVersionInfo
    /// `pagi.is_worker`: `true` in a worker of a multi-process server, `false` single-process.
    public var isWorker: Bool?
    /// `pagi.worker_num`: the worker's number, `1…N`; `nil` single-process.
    public var workerNumber: Int?
    /// `state`: the original state namespace; request scopes get shallow copies of it.
    public var state: PAGILifespanState

    /// Creates a lifespan scope.
    public init(
        pagi: PAGIVersionInfo = .current,
        isWorker: Bool? = nil,
        workerNumber: Int? = nil,
        state: PAGILifespanState = PAGILifespanState()
    ) {
        self.pagi = pagi
        self.isWorker = isWorker
        self.workerNumber = workerNumber
        self.state = state
    }
}
