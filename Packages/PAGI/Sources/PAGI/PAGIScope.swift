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
///
/// A value type whose fields live in one shared, copy-on-write box: a scope is copied several
/// times on its way to the application (into the scope enum, the request task, middleware), and
/// a copy is one reference count instead of one per field; the application sees plain value
/// semantics — a mutation copies the box first unless this value is its only owner.
public struct PAGIRequestInfo: Sendable {
    private var storage: Storage

    /// The `pagi` map.
    public var pagi: PAGIVersionInfo {
        get { self.storage.pagi }
        _modify { yield &self.uniqueStorage().pagi }
    }

    /// `http_version`.
    public var httpVersion: PAGIHTTPVersion {
        get { self.storage.httpVersion }
        _modify { yield &self.uniqueStorage().httpVersion }
    }

    /// `method`, upper-case. For WebSocket scopes the handshake's method (`GET` over HTTP/1.1).
    public var method: String {
        get { self.storage.method }
        _modify { yield &self.uniqueStorage().method }
    }

    /// `scheme`: `http`/`https` for http and sse scopes, `ws`/`wss` for WebSocket scopes.
    public var scheme: String {
        get { self.storage.scheme }
        _modify { yield &self.uniqueStorage().scheme }
    }

    /// `path`: the percent-decoded path; see ``PAGIPath`` for the invalid-UTF-8 rule.
    public var path: PAGIPath {
        get { self.storage.path }
        _modify { yield &self.uniqueStorage().path }
    }

    /// `raw_path`: the path bytes as sent, still percent-encoded, without the query.
    public var rawPath: [UInt8] {
        get { self.storage.rawPath }
        _modify { yield &self.uniqueStorage().rawPath }
    }

    /// `query_string`: the bytes after the first `?`, still percent-encoded; empty when none.
    public var queryString: [UInt8] {
        get { self.storage.queryString }
        _modify { yield &self.uniqueStorage().queryString }
    }

    /// `root_path`: the mount point; `""` unless a middleware mounts the application.
    public var rootPath: String {
        get { self.storage.rootPath }
        _modify { yield &self.uniqueStorage().rootPath }
    }

    /// `headers`: every request header in order, names lower-case.
    public var headers: PAGIHeaders {
        get { self.storage.headers }
        _modify { yield &self.uniqueStorage().headers }
    }

    /// `client`: the peer; `nil` (absent) for Unix-domain sockets.
    public var client: PAGIClientAddress? {
        get { self.storage.client }
        _modify { yield &self.uniqueStorage().client }
    }

    /// `server`: the local address; `[socket path, nil]` for Unix-domain sockets.
    public var server: PAGIServerAddress? {
        get { self.storage.server }
        _modify { yield &self.uniqueStorage().server }
    }

    /// `state`: a shallow copy of the lifespan state taken when the scope was created.
    public var state: PAGIState {
        get { self.storage.state }
        _modify { yield &self.uniqueStorage().state }
    }

    /// `extensions`: the capabilities advertised for this connection.
    public var extensions: PAGIExtensions {
        get { self.storage.extensions }
        _modify { yield &self.uniqueStorage().extensions }
    }

    /// `pagi.transport`: the outbound flow-control handle; `nil` when the server offers none.
    public var transport: PAGITransportState? {
        get { self.storage.transport }
        _modify { yield &self.uniqueStorage().transport }
    }

    /// Keys added by middleware, namespaced by their owner (`myapp.request_id`).
    public var attributes: [String: any Sendable] {
        get { self.storage.attributes }
        _modify { yield &self.uniqueStorage().attributes }
    }

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
        self.storage = Storage(
            pagi: pagi,
            httpVersion: httpVersion,
            method: method,
            scheme: scheme,
            path: path,
            rawPath: rawPath,
            queryString: queryString,
            rootPath: rootPath,
            headers: headers,
            client: client,
            server: server,
            state: state,
            extensions: extensions,
            transport: transport,
            attributes: attributes
        )
    }

    /// The box, copied first when another value shares it.
    private mutating func uniqueStorage() -> Storage {
        if !isKnownUniquelyReferenced(&self.storage) {
            self.storage = self.storage.copy()
        }
        return self.storage
    }

    /// The fields. Mutated only through ``uniqueStorage()``, i.e. while exactly one value owns the
    /// box; every other access is a read. That is the copy-on-write contract `Array` relies on
    /// too, and why sharing the box between threads is safe.
    private final class Storage: @unchecked Sendable {
        var pagi: PAGIVersionInfo
        var httpVersion: PAGIHTTPVersion
        var method: String
        var scheme: String
        var path: PAGIPath
        var rawPath: [UInt8]
        var queryString: [UInt8]
        var rootPath: String
        var headers: PAGIHeaders
        var client: PAGIClientAddress?
        var server: PAGIServerAddress?
        var state: PAGIState
        var extensions: PAGIExtensions
        var transport: PAGITransportState?
        var attributes: [String: any Sendable]

        init(
            pagi: PAGIVersionInfo,
            httpVersion: PAGIHTTPVersion,
            method: String,
            scheme: String,
            path: PAGIPath,
            rawPath: [UInt8],
            queryString: [UInt8],
            rootPath: String,
            headers: PAGIHeaders,
            client: PAGIClientAddress?,
            server: PAGIServerAddress?,
            state: PAGIState,
            extensions: PAGIExtensions,
            transport: PAGITransportState?,
            attributes: [String: any Sendable]
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

        func copy() -> Storage {
            Storage(
                pagi: self.pagi,
                httpVersion: self.httpVersion,
                method: self.method,
                scheme: self.scheme,
                path: self.path,
                rawPath: self.rawPath,
                queryString: self.queryString,
                rootPath: self.rootPath,
                headers: self.headers,
                client: self.client,
                server: self.server,
                state: self.state,
                extensions: self.extensions,
                transport: self.transport,
                attributes: self.attributes
            )
        }
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
