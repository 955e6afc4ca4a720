public import PAGI
public import PAGITLS

/// Everything a ``PAGIServer`` needs besides the application: where to listen, limits, timeouts,
/// back-pressure and logging.
///
/// Defaults match the reference server and the `pagi-server` CLI: `127.0.0.1:5000`, one event
/// loop, access log to stderr in `clf` format, log level `info`.
public struct PAGIServerConfiguration: Sendable {
    /// The endpoints to listen on, all served by the same application.
    public var listeners: [PAGIListenAddress] = [.tcp(host: "127.0.0.1", port: 5000)]
    /// The backlog passed to `listen(2)`. Default 2048.
    public var listenerBacklog: Int = 2048
    /// How many event-loop threads serve connections. Default 1: each connection lives on one
    /// loop, and the application runs on it.
    public var eventLoopThreads: Int = 1
    /// Size and count limits.
    public var limits = PAGIServerLimits()
    /// Timeouts.
    public var timeouts = PAGIServerTimeouts()
    /// Outbound back-pressure thresholds.
    public var watermarks = PAGIWriteWatermarks()
    /// Where access-log lines go. Default stderr.
    public var accessLog: PAGIAccessLogDestination = .stderr
    /// The access-log format: a preset name (`clf`, `combined`, `common`, `tiny`) or a format string.
    public var accessLogFormat: String = "clf"
    /// The least severe server log level printed. Default `info`.
    public var logLevel: PAGIServerLogLevel = .info
    /// Suppresses every server log line except errors.
    public var quiet = false
    /// Whether WebSocket connections negotiate permessage-deflate (RFC 7692) when the client
    /// offers it. Default `true`; `pagi-server --no-ws-compression` turns it off.
    public var webSocketCompression = true
    /// Extensions advertised to every scope.
    public var extensions = PAGIExtensions()
    /// HTTPS on every TCP listener (Unix listeners stay cleartext); `nil` (the default) serves
    /// cleartext HTTP. The certificate files are read, and checked, when ``PAGIServer/run(handleSignals:onReady:)``
    /// starts, before anything is bound; with `handleSignals`, `SIGHUP` re-reads them.
    public var tls: TLSConfiguration?
    /// Inherited listeners and prefork-worker duties; the defaults are a stand-alone server.
    public var process = PAGIServerProcessOptions()

    /// Creates the default configuration.
    public init() {}

    /// Checks the values that do not depend on the system: limits, watermarks, listeners.
    /// - Throws: ``PAGIServerConfigurationError`` naming the first bad value.
    public func validate() throws(PAGIServerConfigurationError) {
        guard !self.listeners.isEmpty else {
            throw PAGIServerConfigurationError(code: .noListeners, message: "no listener configured: add a TCP address or a socket path")
        }
        guard self.eventLoopThreads >= 1 else {
            throw .invalidValue("event-loop thread count", "must be at least 1, got \(self.eventLoopThreads)")
        }
        guard self.listenerBacklog >= 1 else {
            throw .invalidValue("listener backlog", "must be at least 1, got \(self.listenerBacklog)")
        }
        try self.limits.validate()
        try self.watermarks.validate()
        for duration in [self.timeouts.idle, self.timeouts.requestStall, self.timeouts.shutdown, self.timeouts.webSocketIdle, self.timeouts.sseIdle] {
            if let duration, duration < .zero {
                throw .invalidValue("timeout", "must not be negative, got \(duration)")
            }
        }
    }
}

/// Where the access log goes.
public enum PAGIAccessLogDestination: Sendable, Hashable {
    /// No access log.
    case off
    /// Standard error.
    case stderr
    /// Appended to this file, created if missing.
    case file(String)
}
