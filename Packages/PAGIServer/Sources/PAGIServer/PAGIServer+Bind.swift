import NIOCore
import NIOPosix
import PAGITLS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bound listening socket and what closing it involves.
struct BoundListener: Sendable {
    /// The listening channel; `nil` for a shared listener served by a ``SharedListenerAcceptor``.
    var channel: (any Channel)?
    var address: PAGIListenAddress
    /// The socket file this server created and must remove at shutdown.
    var ownedSocketPath: String?
    /// Stops the accept thread of a shared listener.
    var acceptor: SharedListenerAcceptor? = nil

    func close() async {
        try? await self.channel?.close()
        await self.acceptor?.stop()
        if let path = self.ownedSocketPath {
            unlink(path)
        }
    }
}

extension PAGIServer {
    /// The pipeline of every accepted connection, whichever way it was accepted; `tls` is the
    /// context for TCP listeners when HTTPS is on.
    static func connectionInitializer(
        registry: ConnectionRegistry,
        logger: ServerLogger,
        context: ConnectionContext,
        tls: TLSContextStore?
    ) -> @Sendable (any Channel) -> EventLoopFuture<Void> {
        { channel in
            channel.eventLoop.makeCompletedFuture {
                // TLS first, closest to the socket: everything after it (the 503 too) sees plaintext.
                var tlsHandler: TLSServerHandler?
                if let tls {
                    let handler = try TLSServerHandler(context: tls.current)
                    try channel.pipeline.syncOperations.addHandler(handler)
                    tlsHandler = handler
                }
                let draining: Bool
                switch registry.register(channel) {
                case .rejected(let count):
                    logger.log(.warn, "Connection rejected: at capacity (\(count)/\(registry.maxConnections))")
                    try channel.pipeline.syncOperations.addHandler(AtCapacityResponder())
                    return
                case .registered(let isDraining):
                    draining = isDraining
                }
                let security = ConnectionSecurity(tlsHandler: tlsHandler)
                try channel.pipeline.syncOperations.addHandler(HTTPConnectionHandler(context: context, channel: channel, security: security))
                if draining {
                    // Accepted before the listeners closed, set up after the drain began (a shared
                    // listener's accept thread hands connections over asynchronously): quiesce it
                    // once it is active, as the drain did the others.
                    channel.eventLoop.execute {
                        channel.pipeline.fireUserInboundEventTriggered(ServerQuiesceEvent())
                    }
                }
            }
        }
    }

    /// Binds one listener; every accepted connection gets the HTTP/1.1 pipeline.
    func bind(_ address: PAGIListenAddress, group: MultiThreadedEventLoopGroup, context: ConnectionContext) async throws -> BoundListener {
        let registry = self.registry
        let logger = self.logger
        let isTCP: Bool
        if case .tcp = address { isTCP = true } else { isTCP = false }
        // TLS applies to TCP listeners only (server-behaviour §14).
        let tls = isTCP ? context.tls : nil
        if !isTCP, context.tls != nil, case .unix(let path, _) = address {
            logger.log(.info, "Note: TLS is configured but does not apply to Unix socket \(path)")
        }
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: Int32(clamping: self.configuration.listenerBacklog))
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptErrorLogger(logger: logger))
                    try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler(backoffProvider: AcceptErrorLogger.backoff))
                }
            }
            .childChannelInitializer(Self.connectionInitializer(registry: registry, logger: logger, context: context, tls: tls))
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            // Channel writability is the back-pressure signal body sends wait on (protocol §9).
            .childChannelOption(
                .writeBufferWaterMark,
                value: ChannelOptions.Types.WriteBufferWaterMark(low: self.configuration.watermarks.low, high: self.configuration.watermarks.high)
            )
            .childChannelOption(.maxMessagesPerRead, value: 4)
        if isTCP {
            bootstrap = bootstrap.childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        }

        if let adopted = self.configuration.process.adoptedListeners[address] {
            return try await self.adopt(adopted, as: address, group: group, context: context)
        }
        switch address {
        case .tcp(let host, let port):
            do {
                let channel = try await bootstrap.bind(host: host, port: port).get()
                let boundPort = channel.localAddress?.port ?? port
                return BoundListener(channel: channel, address: .tcp(host: host, port: boundPort), ownedSocketPath: nil)
            } catch let error as IOError where error.errnoCode == EADDRINUSE {
                throw PAGIServerError(code: .portInUse, message: "port \(port) is already in use (choose another with --port, or stop the process holding it)")
            } catch let error as IOError where error.errnoCode == EACCES {
                throw PAGIServerError(code: .permissionDenied, message: "permission denied to bind to port \(port) (ports below 1024 need privileges; choose a higher --port)")
            } catch {
                throw PAGIServerError(code: .bindFailed, message: "cannot listen on \(host):\(port): \(error)")
            }
        case .unix(let path, let mode):
            // The socket is created 0600 whatever the process umask (reference behaviour); the
            // requested mode, if any, is applied right after bind. umask is process-wide, which
            // is acceptable here: listeners are bound before any other thread creates files.
            let previousMask = umask(0o177)
            defer { umask(previousMask) }
            do {
                // Only a stale *socket* is removed: unlike the reference server, a regular file at
                // the path is an error, not something to delete (server-behaviour §14 ⚠).
                let channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
                if let mode, chmod(path, mode_t(mode)) != 0 {
                    logger.log(.warn, "Cannot chmod \(path) to \(String(mode, radix: 8)): errno \(errno)")
                }
                return BoundListener(channel: channel, address: address, ownedSocketPath: path)
            } catch let error as IOError where error.errnoCode == EACCES {
                throw PAGIServerError(code: .permissionDenied, message: "permission denied to create the socket \(path) (check the directory's permissions)")
            } catch {
                throw PAGIServerError(code: .bindFailed, message: "cannot listen on unix:\(path): \(error)")
            }
        }
    }
}

/// Logs accept failures on a listening socket (server-behaviour §2) and chooses the back-off:
/// descriptor exhaustion pauses accepting for 100 ms, other errors are logged and retried.
final class AcceptErrorLogger: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    let logger: ServerLogger

    init(logger: ServerLogger) {
        self.logger = logger
    }

    static func backoff(_ error: IOError) -> TimeAmount? {
        Self.isDescriptorExhaustion(error) ? .milliseconds(100) : nil
    }

    static func isDescriptorExhaustion(_ error: IOError) -> Bool {
        error.errnoCode == EMFILE || error.errnoCode == ENFILE
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let error = error as? IOError, Self.isDescriptorExhaustion(error) {
            self.logger.log(.warn, "Accept error (FD exhaustion): \(error) - pausing accept for 100ms")
        } else {
            self.logger.log(.error, "Accept error: \(error)")
        }
        context.fireErrorCaught(error)
    }
}

@available(*, unavailable)
extension AcceptErrorLogger: Sendable {}
