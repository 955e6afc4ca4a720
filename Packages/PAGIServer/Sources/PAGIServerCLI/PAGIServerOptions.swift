public import ArgumentParser
public import PAGI
public import PAGIServer

/// Every `pagi-server` serving flag, as one argument group.
///
/// `pagi-server` and any program embedding the server through ``PAGIServerCommand`` pull it in
/// with `@OptionGroup`, so both accept exactly the same flags. ``makeConfiguration()`` turns the
/// parsed values into a ``PAGIServer/PAGIServerConfiguration``; every cross-flag rule is checked
/// in `validate()`, before anything is bound.
public struct PAGIServerOptions: ParsableArguments, Sendable {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The address to bind (default 127.0.0.1).", valueName: "host"))
    public var host: String?

    @Option(name: [.short, .long], help: ArgumentHelp("The TCP port to bind; 0 picks a free one (default 5000).", valueName: "port"))
    public var port: Int?

    @Option(help: ArgumentHelp("Listen on a Unix-domain socket instead of TCP.", valueName: "path"))
    public var socket: String?

    @Option(help: ArgumentHelp("Permissions of created Unix sockets, in octal (default 0600).", valueName: "0NNN"))
    public var socketMode: String?

    @Option(
        help: ArgumentHelp(
            "Listen on HOST:PORT, [IPV6]:PORT or a socket path; repeat for several listeners.",
            discussion: "A value starting with / or . is a socket path. Excludes --host, --port and --socket.",
            valueName: "address"
        )
    )
    public var listen: [String] = []

    @Option(help: ArgumentHelp("Access log: a file to append to, - for stderr, or off.", valueName: "file|-|off"))
    public var accessLog: String = "-"

    @Option(
        help: ArgumentHelp(
            "Access log format: clf, combined, common, tiny, or a format string with %h %t %r %s %b %d %D %{Header}i ….",
            valueName: "format"
        )
    )
    public var accessLogFormat: String = "clf"

    @Option(help: ArgumentHelp("Least severe server log level printed.", valueName: "level"))
    public var logLevel: PAGIServerLogLevel = .info

    @Flag(name: [.short, .long], help: "Print only errors.")
    public var quiet = false

    @Option(
        name: [.long, .customLong("keepalive-timeout")],
        help: ArgumentHelp("Close a connection idle this many seconds between requests; 0 disables.", valueName: "seconds")
    )
    public var timeout: Int = 60

    @Option(help: ArgumentHelp("Close a request stalled this many seconds (no byte in, no send); 0 disables.", valueName: "seconds"))
    public var requestTimeout: Int = 0

    @Option(help: ArgumentHelp("Drop an open WebSocket that receives no frame for this many seconds; 0 disables.", valueName: "seconds"))
    public var wsIdleTimeout: Int = 0

    @Option(help: ArgumentHelp("End an SSE stream that writes nothing for this many seconds; 0 disables.", valueName: "seconds"))
    public var sseIdleTimeout: Int = 0

    @Option(help: ArgumentHelp("Largest inbound WebSocket frame payload in bytes; larger gets Close 1009.", valueName: "bytes"))
    public var maxWsFrameSize: Int = 65536

    @Option(help: ArgumentHelp("Most WebSocket messages waiting for the app; one more gets Close 1008.", valueName: "count"))
    public var maxReceiveQueue: Int = 1000

    @Flag(help: "Do not negotiate permessage-deflate on WebSocket connections.")
    public var noWsCompression = false

    @Option(help: ArgumentHelp("Seconds graceful shutdown waits for requests, then for lifespan shutdown.", valueName: "seconds"))
    public var shutdownTimeout: Int = 30

    @Option(help: ArgumentHelp("Largest request header section in bytes; larger gets 431.", valueName: "bytes"))
    public var maxHeaderSize: Int = 8192

    @Option(help: ArgumentHelp("Most request header fields; more gets 431.", valueName: "count"))
    public var maxHeaderCount: Int = 100

    @Option(help: ArgumentHelp("Largest request body in bytes, 0 for unlimited; larger gets 413.", valueName: "bytes"))
    public var maxBodySize: Int = 10_000_000

    @Option(help: ArgumentHelp("Most open connections; more get an immediate 503.", valueName: "count"))
    public var maxConnections: Int = 1000

    @Option(name: [.customShort("b"), .long], help: ArgumentHelp("listen(2) backlog.", valueName: "count"))
    public var listenerBacklog: Int = 2048

    @Option(help: ArgumentHelp("Buffered response bytes at which a body send waits.", valueName: "bytes"))
    public var writeHighWatermark: Int = 65536

    @Option(help: ArgumentHelp("Buffered response bytes below which waiting sends resume.", valueName: "bytes"))
    public var writeLowWatermark: Int = 16384

    @Option(help: ArgumentHelp("Event-loop threads serving connections.", valueName: "count"))
    public var threads: Int = 1

    // MARK: TLS (issue 11) — the flags live in PAGITLSOptions.swift.

    /// The HTTPS flags (`--ssl-cert`, `--ssl-key`, …).
    @OptionGroup(title: "TLS options")
    public var tls: PAGITLSOptions
    /// Workers, inherited listeners, signals and deployment flags.
    @OptionGroup(title: "Process options")
    public var process: PAGIProcessOptions

    /// Creates the options with every default.
    public init() {}

    public func validate() throws {
        if !self.listen.isEmpty {
            if self.host != nil { throw ValidationError("--listen and --host cannot be combined: put the host in --listen HOST:PORT") }
            if self.port != nil { throw ValidationError("--listen and --port cannot be combined: put the port in --listen HOST:PORT") }
            if self.socket != nil { throw ValidationError("--listen and --socket cannot be combined: pass the socket path to --listen") }
        }
        if self.socket != nil {
            if self.host != nil { throw ValidationError("--socket and --host cannot be combined: a Unix socket has no host") }
            if self.port != nil { throw ValidationError("--socket and --port cannot be combined: a Unix socket has no port") }
        }
        if let port = self.port, !(0...65535).contains(port) {
            throw ValidationError("--port must be between 0 and 65535, got \(port)")
        }
        if let mode = self.socketMode, Self.parseSocketMode(mode) == nil {
            throw ValidationError("--socket-mode must be an octal value like 0660, got: \(mode)")
        }
        for (flag, value) in [
            ("--timeout", self.timeout), ("--request-timeout", self.requestTimeout), ("--shutdown-timeout", self.shutdownTimeout),
            ("--max-body-size", self.maxBodySize), ("--write-low-watermark", self.writeLowWatermark),
            ("--ws-idle-timeout", self.wsIdleTimeout), ("--sse-idle-timeout", self.sseIdleTimeout),
        ] where value < 0 {
            throw ValidationError("\(flag) must be 0 or more, got \(value)")
        }
        for (flag, value) in [
            ("--max-header-size", self.maxHeaderSize), ("--max-header-count", self.maxHeaderCount),
            ("--max-connections", self.maxConnections), ("--listener-backlog", self.listenerBacklog), ("--threads", self.threads),
            ("--max-ws-frame-size", self.maxWsFrameSize), ("--max-receive-queue", self.maxReceiveQueue),
        ] where value < 1 {
            throw ValidationError("\(flag) must be at least 1, got \(value)")
        }
        if self.writeHighWatermark <= self.writeLowWatermark {
            throw ValidationError(
                "--write-high-watermark (\(self.writeHighWatermark)) must be above --write-low-watermark (\(self.writeLowWatermark))"
            )
        }
        do {
            try self.makeConfiguration().validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// `0NNN` → the mode bits; anything else → `nil` (the reference CLI's `^0[0-7]{3}$`).
    static func parseSocketMode(_ text: String) -> UInt16? {
        let bytes = Array(text.utf8)
        guard bytes.count == 4, bytes[0] == UInt8(ascii: "0"),
            bytes.dropFirst().allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") })
        else { return nil }
        return UInt16(text, radix: 8)
    }

    /// The server configuration these flags describe.
    /// - Throws: ``PAGIServer/PAGIServerConfigurationError`` for a `--listen` value that cannot be parsed.
    public func makeConfiguration() throws(PAGIServerConfigurationError) -> PAGIServerConfiguration {
        var configuration = PAGIServerConfiguration()
        let mode = self.socketMode.flatMap(Self.parseSocketMode)
        if !self.listen.isEmpty {
            configuration.listeners = []
            for spec in self.listen {
                configuration.listeners.append(try PAGIListenAddress(parsing: spec, socketMode: mode))
            }
        } else if let socket = self.socket {
            configuration.listeners = [.unix(path: socket, mode: mode)]
        } else {
            configuration.listeners = [.tcp(host: self.host ?? "127.0.0.1", port: self.port ?? 5000)]
        }
        switch self.accessLog {
        case "-": configuration.accessLog = .stderr
        case "off": configuration.accessLog = .off
        default: configuration.accessLog = .file(self.accessLog)
        }
        configuration.accessLogFormat = self.accessLogFormat
        configuration.logLevel = self.logLevel
        configuration.quiet = self.quiet
        configuration.timeouts.idle = self.timeout > 0 ? .seconds(self.timeout) : nil
        configuration.timeouts.requestStall = self.requestTimeout > 0 ? .seconds(self.requestTimeout) : nil
        configuration.timeouts.shutdown = .seconds(self.shutdownTimeout)
        configuration.limits.maxHeaderSize = self.maxHeaderSize
        configuration.limits.maxHeaderCount = self.maxHeaderCount
        configuration.limits.maxBodySize = self.maxBodySize > 0 ? self.maxBodySize : nil
        configuration.limits.maxConnections = self.maxConnections
        configuration.limits.maxWebSocketFrameSize = self.maxWsFrameSize
        configuration.limits.maxWebSocketMessageSize = max(configuration.limits.maxWebSocketMessageSize, self.maxWsFrameSize)
        configuration.limits.maxReceiveQueue = self.maxReceiveQueue
        configuration.timeouts.webSocketIdle = self.wsIdleTimeout > 0 ? .seconds(self.wsIdleTimeout) : nil
        configuration.timeouts.sseIdle = self.sseIdleTimeout > 0 ? .seconds(self.sseIdleTimeout) : nil
        configuration.webSocketCompression = !self.noWsCompression
        configuration.listenerBacklog = self.listenerBacklog
        configuration.watermarks = PAGIWriteWatermarks(high: self.writeHighWatermark, low: self.writeLowWatermark)
        configuration.eventLoopThreads = self.threads
        configuration.tls = self.tls.configuration  // TLS (issue 11)
        return configuration
    }

    /// Builds the configuration and serves `app` until SIGTERM/SIGINT and graceful shutdown.
    /// - Parameter app: The application to serve.
    /// - Throws: ``PAGIServer/PAGIServerError`` when startup fails (its description is the one-line message).
    public func run(app: @escaping PAGIApp) async throws {
        try await PAGIServerLauncher(options: self).run(app: app)
    }
}

extension PAGIServerLogLevel: ExpressibleByArgument {}
