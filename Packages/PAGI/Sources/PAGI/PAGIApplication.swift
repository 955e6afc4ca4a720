/// Receives the next inbound event of a scope.
///
/// Each call suspends until the next event exists and returns it; an event is never returned twice.
/// After the connection is gone every call returns the scope's disconnect event
/// (`http.disconnect`, `websocket.disconnect`, `sse.disconnect`).
///
/// - Throws: `CancellationError` when the calling task is cancelled while waiting.
///
/// `nonisolated(nonsending)`, like ``PAGISend`` and ``PAGIApp``: the function runs on its caller's
/// executor instead of hopping to the generic one. The server starts each application on the
/// connection's event loop, so an application that stays nonisolated never changes thread, and
/// each call costs no executor switch (those switches were a measurable share of a small request).
public typealias PAGIReceive = nonisolated(nonsending) @Sendable () async throws -> PAGIInboundEvent

/// Hands one outbound event to the server.
///
/// Returns once the server has accepted the event; it may suspend while the connection applies
/// back-pressure. A send after the peer went away is a silent no-op.
///
/// - Throws: ``PAGIEventError`` when the event is not valid for the scope or its current state.
public typealias PAGISend = nonisolated(nonsending) @Sendable (PAGIOutboundEvent) async throws -> Void

/// A PAGI application: one async function of a scope, a receive function and a send function.
///
/// The server calls it once per HTTP request, once per WebSocket or SSE connection, and once per
/// process (or worker) for the lifespan scope. Returning is the signal that the application is
/// done; throwing is the failure signal. An application that does not support `scope.type` must
/// throw (``PAGIUnsupportedScopeError`` says so with a readable message).
///
/// ```swift
/// let hello: PAGIApp = { scope, receive, send in
///     guard case .http = scope else { throw PAGIUnsupportedScopeError(scope.type) }
///     try await send(.httpResponseStart(status: 200, headers: [("content-type", "text/plain")]))
///     try await send(.httpResponseBody(.bytes(ByteBuffer(string: "Hello, World!"))))
/// }
/// ```
public typealias PAGIApp = nonisolated(nonsending) @Sendable (PAGIScope, @escaping PAGIReceive, @escaping PAGISend) async throws -> Void

/// Middleware takes an application and returns an application.
///
/// Middleware never mutates the scope it was given: scopes are values, so a middleware changes its
/// own copy and passes that inward. It propagates the inner application's completion and errors
/// unchanged, and observes traffic by wrapping `receive` and `send`.
public typealias PAGIMiddleware = @Sendable (@escaping PAGIApp) -> PAGIApp

/// Composes middleware around an application; the first middleware in the list is the outermost.
///
/// - Parameters:
///   - app: The innermost application.
///   - middleware: Middleware, outermost first.
/// - Returns: The wrapped application.
public func pagiCompose(_ app: @escaping PAGIApp, _ middleware: [PAGIMiddleware]) -> PAGIApp {
    middleware.reversed().reduce(app) { inner, wrap in wrap(inner) }
}

/// The error an application throws for a scope type it does not handle.
///
/// The server treats it as a graceful refusal: an HTTP back-stop `500`, a refused WebSocket or SSE
/// connection, or "lifespan unsupported" for the lifespan scope.
public struct PAGIUnsupportedScopeError: Error, CustomStringConvertible, Sendable {
    /// The scope type the application refused.
    public var scopeType: PAGIScopeType

    /// Creates the error for a refused scope type.
    /// - Parameter scopeType: The type of the scope the application does not handle.
    public init(_ scopeType: PAGIScopeType) {
        self.scopeType = scopeType
    }

    public var description: String {
        "the application does not handle '\(scopeType.rawValue)' scopes"
    }
}
