/// The size and count limits the server enforces on every connection.
///
/// Defaults follow the reference server (server-behaviour §1). Each limit bounds the memory or
/// work one peer can make the server spend; raising one raises that bound.
public struct PAGIServerLimits: Sendable, Hashable {
    /// The most bytes a request's header section (request line included) may have. Default 8192;
    /// above it the request gets `431`. Raising it lets every connection buffer that much more.
    public var maxHeaderSize: Int = 8192
    /// The most header fields a request may have. Default 100; above it the request gets `431`.
    public var maxHeaderCount: Int = 100
    /// The most bytes a request-target (URI) may have. Default 8192; above it the request gets `414`.
    public var maxRequestTargetLength: Int = 8192
    /// The most body bytes a request may have; `nil` means unlimited. Default 10,000,000 (decimal
    /// 10 MB); a larger `Content-Length`, or a chunked body that grows past it, gets `413`.
    public var maxBodySize: Int? = 10_000_000
    /// The most connections open at once per process. Default 1000; a connection above it gets an
    /// immediate `503` with `Retry-After: 5` and is closed. Each open connection costs a
    /// descriptor and a few KiB of memory.
    public var maxConnections: Int = 1000
    /// The largest WebSocket frame payload a peer may send, in bytes. Default 65,536; a larger
    /// frame is answered with Close `1009` and the connection ends (`websocket.disconnect` 1009).
    public var maxWebSocketFrameSize: Int = 65536
    /// The largest WebSocket message, in bytes, after reassembly and after permessage-deflate
    /// decompression (the decompression bound). Default 8 MiB; a larger message gets Close `1009`.
    public var maxWebSocketMessageSize: Int = 8 * 1024 * 1024
    /// The most received WebSocket messages waiting for the application's `receive`. Default
    /// 1000; one more closes the connection with `1008` "Message queue overflow".
    public var maxReceiveQueue: Int = 1000

    /// Creates limits with the reference defaults.
    public init() {}

    func validate() throws(PAGIServerConfigurationError) {
        guard self.maxHeaderSize > 0 else { throw .invalidValue("max header size", "must be at least 1 byte, got \(self.maxHeaderSize)") }
        guard self.maxHeaderCount > 0 else { throw .invalidValue("max header count", "must be at least 1, got \(self.maxHeaderCount)") }
        guard self.maxRequestTargetLength > 0 else {
            throw .invalidValue("max request-target length", "must be at least 1 byte, got \(self.maxRequestTargetLength)")
        }
        if let maxBodySize = self.maxBodySize, maxBodySize < 0 {
            throw .invalidValue("max body size", "must be 0 or more bytes, got \(maxBodySize)")
        }
        guard self.maxConnections > 0 else { throw .invalidValue("max connections", "must be at least 1, got \(self.maxConnections)") }
        guard self.maxWebSocketFrameSize > 0 else {
            throw .invalidValue("max WebSocket frame size", "must be at least 1 byte, got \(self.maxWebSocketFrameSize)")
        }
        guard self.maxWebSocketMessageSize >= self.maxWebSocketFrameSize else {
            throw .invalidValue(
                "max WebSocket message size",
                "must be at least the max frame size (\(self.maxWebSocketFrameSize)), got \(self.maxWebSocketMessageSize)"
            )
        }
        guard self.maxReceiveQueue > 0 else { throw .invalidValue("max receive queue", "must be at least 1 message, got \(self.maxReceiveQueue)") }
    }
}

/// How long the server waits for peers and applications.
public struct PAGIServerTimeouts: Sendable, Hashable {
    /// How long a connection may go without receiving a byte while no request is in progress;
    /// `nil` disables it. Default 60 s. Unlike the reference server, the timer is suspended while
    /// the application works on a request (the reference kills slow handlers, server-behaviour §8 ⚠).
    public var idle: Duration? = .seconds(60)
    /// How long a request in progress may go without a byte received or a `send`; `nil` (the
    /// default) disables it. On expiry the connection closes with reason `client_timeout`.
    public var requestStall: Duration? = nil
    /// How long graceful shutdown waits for in-flight requests, and then again for the
    /// application's lifespan shutdown. Default 30 s.
    public var shutdown: Duration = .seconds(30)
    /// How long an open WebSocket may go without receiving a frame; `nil` (the default) disables
    /// it. On expiry the connection is dropped and the app gets `websocket.disconnect` 1006
    /// `idle_timeout`.
    public var webSocketIdle: Duration? = nil
    /// How long an SSE stream may go without an event, comment or keepalive written; `nil` (the
    /// default) disables it. On expiry the stream ends and the app gets `sse.disconnect`
    /// `idle_timeout`.
    public var sseIdle: Duration? = nil
    /// How long the server waits for the peer's Close frame after sending its own before it
    /// drops the connection. Default 5 s.
    public var webSocketCloseHandshake: Duration = .seconds(5)

    /// Creates timeouts with the reference defaults.
    public init() {}
}

/// Outbound back-pressure thresholds (protocol §9).
public struct PAGIWriteWatermarks: Sendable, Hashable {
    /// Buffered bytes at or above which a body `send` suspends. Default 65,536.
    public var high: Int = 65536
    /// Buffered bytes the queue must fall below before suspended sends resume. Default 16,384.
    public var low: Int = 16384

    /// Creates watermarks with the reference defaults.
    public init() {}

    /// Creates watermarks.
    /// - Parameters:
    ///   - high: Back-pressure start, in bytes.
    ///   - low: Back-pressure release, in bytes; must be below `high`.
    public init(high: Int, low: Int) {
        self.high = high
        self.low = low
    }

    func validate() throws(PAGIServerConfigurationError) {
        guard self.low >= 0, self.high > self.low else {
            throw .invalidValue("write watermarks", "the low mark (\(self.low)) must be 0 or more and below the high mark (\(self.high))")
        }
    }
}
