public import PAGI
import NIOCore
import NIOPosix
import PAGITLS
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves one PAGI application over HTTP/1.1 on one or more listeners.
///
/// ```swift
/// var configuration = PAGIServerConfiguration()
/// configuration.listeners = [.tcp(host: "127.0.0.1", port: 8080)]
/// let server = PAGIServer(configuration: configuration, app: myApp)
/// try await server.run()   // returns after graceful shutdown
/// ```
///
/// ``run()`` runs the lifespan startup, binds every listener, serves until ``shutdownGracefully()``
/// is called (or, with `handleSignals`, until SIGTERM/SIGINT), then drains: it stops accepting,
/// closes idle keep-alive connections, waits up to ``PAGIServerTimeouts/shutdown`` for in-flight
/// requests, force-closes the rest and finally runs the lifespan shutdown.
///
/// Each connection lives on one event loop, and every request's application task runs on that
/// loop too (started inline with an event-loop task executor), so serving a request costs no
/// thread hop.
///
/// - Important: ``run()`` may be called once per server.
public final class PAGIServer: Sendable {
    /// The configuration the server was created with.
    public let configuration: PAGIServerConfiguration
    let app: PAGIApp
    let logger: ServerLogger
    let registry: ConnectionRegistry
    private let lifecycle = Mutex(Lifecycle())
    private let shutdownRequested = ShutdownSignal()
    /// The running server's TLS context store, for ``reloadTLSCertificates()``; `nil` without TLS.
    let runningTLSStore = Mutex<TLSContextStore?>(nil)
    let listening = ListeningSignal()

    private struct Lifecycle {
        enum Phase { case idle, running, finished }
        var phase: Phase = .idle
        var boundAddresses: [PAGIListenAddress] = []
    }

    /// Creates a server; nothing happens until ``run()``.
    /// - Parameters:
    ///   - configuration: Listeners, limits, timeouts and logging.
    ///   - app: The application serving every request.
    public convenience init(configuration: PAGIServerConfiguration, app: @escaping PAGIApp) {
        self.init(configuration: configuration, app: app, logSink: ServerLogger.writeLine)
    }

    /// Creates a server whose log lines go to `logSink` instead of standard error (tests).
    init(configuration: PAGIServerConfiguration, app: @escaping PAGIApp, logSink: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.app = app
        self.logger = ServerLogger(level: configuration.logLevel, quiet: configuration.quiet, sink: logSink)
        self.registry = ConnectionRegistry(maxConnections: configuration.limits.maxConnections)
    }

    /// The addresses actually bound, with real port numbers for port `0`; empty until ``run()`` has bound.
    public var boundAddresses: [PAGIListenAddress] {
        self.lifecycle.withLock { $0.boundAddresses }
    }

    /// Asks a running server to shut down gracefully; ``run()`` returns once it has.
    ///
    /// Safe to call from any thread, any number of times, before or during ``run()``.
    public func shutdownGracefully() {
        self.shutdownRequested.fire()
    }

    /// Runs the server until it has shut down.
    ///
    /// - Parameter handleSignals: Treat SIGTERM and SIGINT as ``shutdownGracefully()``. The CLI
    ///   sets it; an embedding program with its own signal handling leaves it off.
    /// - Parameter onReady: Called once every listener is bound, with the bound addresses.
    /// - Throws: ``PAGIServerConfigurationError`` for a bad configuration, ``PAGIServerError``
    ///   when the lifespan startup fails or a listener cannot be bound.
    public func run(handleSignals: Bool = false, onReady: @Sendable ([PAGIListenAddress]) -> Void = { _ in }) async throws {
        let alreadyRan: Bool = self.lifecycle.withLock {
            guard $0.phase == .idle else { return true }
            $0.phase = .running
            return false
        }
        guard !alreadyRan else { throw PAGIServerError.alreadyRunning }
        defer { self.lifecycle.withLock { $0.phase = .finished } }
        do {
            try await self.serve(handleSignals: handleSignals, onReady: onReady)
        } catch {
            self.listening.settle(.failure(error))
            throw error
        }
    }

    private func serve(handleSignals: Bool, onReady: @Sendable ([PAGIListenAddress]) -> Void) async throws {
        try self.configuration.validate()
        // The TLS context is built once per process (per worker after spawn), before anything is bound.
        let tlsStore = try self.makeTLSStore()
        self.runningTLSStore.withLock { $0 = tlsStore }
        defer { self.runningTLSStore.withLock { $0 = nil } }
        let signalWatcher = handleSignals ? SignalWatcher(signals: [SIGTERM, SIGINT]) { [shutdownRequested] in shutdownRequested.fire() } : nil
        defer { signalWatcher?.cancel() }
        let reloadWatcher = handleSignals && tlsStore != nil ? self.watchCertificateReload() : nil
        defer { reloadWatcher?.cancel() }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: self.configuration.eventLoopThreads)
        let lifespan: LifespanSession
        let accessLog: AccessLogWriter
        do {
            accessLog = try AccessLogWriter(destination: self.configuration.accessLog, format: self.configuration.accessLogFormat)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        do {
            lifespan = try await self.startLifespan(executor: EventLoopTaskExecutor(eventLoop: group.next()))
        } catch {
            await accessLog.close()
            try? await group.shutdownGracefully()
            throw error
        }
        let context = ConnectionContext(
            app: self.app,
            configuration: self.configuration,
            logger: self.logger,
            lifespanState: lifespan.state,
            accessLog: accessLog,
            tls: tlsStore,
            requestCountdown: self.makeRequestCountdown()
        )
        var listeners: [BoundListener] = []
        do {
            for address in self.configuration.listeners {
                listeners.append(try await self.bind(address, group: group, context: context))
            }
        } catch {
            for listener in listeners { await listener.close() }
            await lifespan.shutdown()
            await accessLog.close()
            try? await group.shutdownGracefully()
            throw error
        }
        let addresses = listeners.map(\.address)
        self.lifecycle.withLock { $0.boundAddresses = addresses }
        self.logger.log(.info, Self.banner(addresses, configuration: self.configuration))
        onReady(addresses)
        self.listening.settle(.success(addresses))
        let heartbeat = self.startHeartbeat(on: group.next())

        await self.shutdownRequested.wait()
        heartbeat?.cancel()

        await self.drain(listeners)
        await lifespan.shutdown()
        await accessLog.close()
        try? await group.shutdownGracefully()
    }

    static func banner(_ addresses: [PAGIListenAddress], configuration: PAGIServerConfiguration) -> String {
        let tls = configuration.tls != nil
        let details = "(loop: NIO x\(configuration.eventLoopThreads), max_conn: \(configuration.limits.maxConnections), http2: not installed, tls: \(tls ? "on" : "available"))"
        let shown = addresses.map { Self.bannerAddress($0, tls: tls) }
        if shown.count == 1 {
            return "PAGI Server listening on \(shown[0]) \(details)"
        }
        return "PAGI Server listening on: \(shown.joined(separator: ", ")) \(details)"
    }

    /// Stops accepting, quiesces every connection and waits for them, escalating after the timeout.
    private func drain(_ listeners: [BoundListener]) async {
        for listener in listeners { await listener.close() }
        for channel in self.registry.beginDraining() {
            channel.pipeline.fireUserInboundEventTriggered(ServerQuiesceEvent())
        }
        let drained = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await self.registry.waitUntilEmpty()
                // A cancelled run (a cancelled Service) ends the wait early: not drained.
                return !Task.isCancelled
            }
            group.addTask {
                try? await Task.sleep(for: self.configuration.timeouts.shutdown)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !drained {
            let remaining = self.registry.channels
            if Task.isCancelled {
                if !remaining.isEmpty {
                    self.logger.log(.warn, "Shutdown cancelled: force-closing \(remaining.count) active connections")
                }
            } else {
                self.logger.log(.warn, "Shutdown timeout: force-closing \(remaining.count) active connections")
            }
            for channel in remaining {
                channel.pipeline.fireUserInboundEventTriggered(ServerForceCloseEvent())
            }
            await self.registry.waitUntilEmpty()
        }
    }
}

/// Everything a connection handler needs from its server; shared by all connections.
///
/// A class: each handler holds one reference instead of its own copy of the whole configuration
/// (several hundred bytes, and a retain per field, for every accepted connection — the idle budget
/// is 8 KiB per connection).
final class ConnectionContext: Sendable {
    let app: PAGIApp
    let configuration: PAGIServerConfiguration
    let logger: ServerLogger
    let lifespanState: PAGILifespanState?
    let accessLog: AccessLogWriter
    /// The TLS context for new TCP connections; `nil` serves cleartext.
    let tls: TLSContextStore?
    /// Counts finished requests for `--max-requests`; `nil` without a budget.
    let requestCountdown: RequestCountdown?

    init(
        app: @escaping PAGIApp,
        configuration: PAGIServerConfiguration,
        logger: ServerLogger,
        lifespanState: PAGILifespanState?,
        accessLog: AccessLogWriter,
        tls: TLSContextStore?,
        requestCountdown: RequestCountdown? = nil
    ) {
        self.app = app
        self.configuration = configuration
        self.logger = logger
        self.lifespanState = lifespanState
        self.accessLog = accessLog
        self.tls = tls
        self.requestCountdown = requestCountdown
    }
}

/// Sent down every connection's pipeline when graceful shutdown starts: idle connections close
/// now, busy ones after their current response.
struct ServerQuiesceEvent: Sendable {}

/// Sent when the shutdown timeout expired: close now, whatever is in flight.
struct ServerForceCloseEvent: Sendable {}

/// A one-shot, thread-safe "shutdown was requested" flag that async code can wait for.
final class ShutdownSignal: Sendable {
    private struct State {
        var fired = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func fire() {
        let waiters: [CheckedContinuation<Void, Never>] = self.state.withLock { state in
            guard !state.fired else { return [] }
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let fired: Bool = self.state.withLock {
                if $0.fired { return true }
                $0.waiters.append(continuation)
                return false
            }
            if fired { continuation.resume() }
        }
    }
}
