import NIOCore
import NIOPosix
import PAGI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PAGIServer {
    /// Serves an inherited, already listening descriptor instead of binding `address`.
    ///
    /// A shared socket (other processes accept on it too) is served by a ``SharedListenerAcceptor``;
    /// a socket this process alone accepts on becomes an ordinary NIO server channel. The socket
    /// file of an adopted unix listener is never unlinked: its creator owns it.
    func adopt(
        _ adopted: PAGIAdoptedListener,
        as address: PAGIListenAddress,
        group: MultiThreadedEventLoopGroup,
        context: ConnectionContext
    ) async throws -> BoundListener {
        let isTCP: Bool
        if case .tcp = address { isTCP = true } else { isTCP = false }
        let initializer = Self.connectionInitializer(registry: self.registry, logger: self.logger, context: context, tls: isTCP ? context.tls : nil)
        let watermarks = ChannelOptions.Types.WriteBufferWaterMark(
            low: self.configuration.watermarks.low,
            high: self.configuration.watermarks.high
        )
        let bound = Self.boundAddress(of: adopted.descriptor, configured: address)
        if adopted.source != "master" {
            self.logger.log(.info, "Reusing inherited fd \(adopted.descriptor) for \(bound) (source: \(adopted.source))")
        }
        guard adopted.isShared else {
            var bootstrap = ServerBootstrap(group: group)
                .serverChannelInitializer { [logger] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(AcceptErrorLogger(logger: logger))
                        try channel.pipeline.syncOperations.addHandler(AcceptBackoffHandler(backoffProvider: AcceptErrorLogger.backoff))
                    }
                }
                .childChannelInitializer(initializer)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelOption(.writeBufferWaterMark, value: watermarks)
                .childChannelOption(.maxMessagesPerRead, value: 4)
            if isTCP { bootstrap = bootstrap.childChannelOption(.tcpOption(.tcp_nodelay), value: 1) }
            do {
                let channel = try await bootstrap.withBoundSocket(adopted.descriptor).get()
                return BoundListener(channel: channel, address: bound, ownedSocketPath: nil)
            } catch {
                throw PAGIServerError(
                    code: .bindFailed,
                    message: "cannot serve the inherited fd \(adopted.descriptor) (\(address), from \(adopted.source)): \(error)"
                )
            }
        }
        let logger = self.logger
        let acceptor = try SharedListenerAcceptor(descriptor: adopted.descriptor, logger: logger) { connection in
            var bootstrap = ClientBootstrap(group: group.next())
                .channelOption(.allowRemoteHalfClosure, value: true)
                .channelOption(.writeBufferWaterMark, value: watermarks)
                .channelOption(.maxMessagesPerRead, value: 4)
                .channelInitializer(initializer)
            if isTCP { bootstrap = bootstrap.channelOption(.tcpOption(.tcp_nodelay), value: 1) }
            bootstrap.withConnectedSocket(connection).whenFailure { error in
                logger.log(.warn, "Cannot serve an accepted connection: \(error)")
            }
        }
        return BoundListener(channel: nil, address: bound, ownedSocketPath: nil, acceptor: acceptor)
    }

    /// The configured address with the real TCP port of `descriptor` (for port 0).
    static func boundAddress(of descriptor: Int32, configured: PAGIListenAddress) -> PAGIListenAddress {
        guard case .tcp(let host, _) = configured else { return configured }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard status == 0 else { return configured }
        // sockaddr_in and sockaddr_in6 both keep the port, big-endian, right after the 2-byte family.
        guard Int32(storage.ss_family) == AF_INET || Int32(storage.ss_family) == AF_INET6 else { return configured }
        let port = withUnsafeBytes(of: &storage) { UInt16($0[2]) << 8 | UInt16($0[3]) }
        return .tcp(host: host, port: Int(port))
    }

    /// The lifespan scope: single-process, or `pagi.is_worker`/`pagi.worker_num` in a worker.
    var lifespanScope: LifespanScope {
        if let number = self.configuration.process.workerNumber {
            return LifespanScope(isWorker: true, workerNumber: number)
        }
        return LifespanScope(isWorker: false)
    }

    /// The `--max-requests` countdown, when one is configured.
    func makeRequestCountdown() -> RequestCountdown? {
        guard let budget = self.configuration.process.maxRequests, budget > 0 else { return nil }
        let logger = self.logger
        return RequestCountdown(budget: budget) { [weak self] in
            logger.log(.info, "Worker \(getpid()): reached max_requests (\(budget)), shutting down")
            self?.shutdownGracefully()
        }
    }

    /// Starts the heartbeat of a prefork worker on the serving loop; `nil` when there is none.
    ///
    /// The first beat goes out at once (it tells the master the worker is up). A worker whose
    /// master is gone (its parent pid changed) shuts down gracefully instead of serving orphaned.
    func startHeartbeat(on eventLoop: any EventLoop) -> RepeatedTask? {
        guard let (descriptor, interval) = self.configuration.process.heartbeat else { return nil }
        let masterPid = getppid()
        let logger = self.logger
        let milliseconds = max(1, interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        return eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(milliseconds)) { [weak self] task in
            if getppid() != masterPid {
                logger.log(.warn, "Worker \(getpid()): master \(masterPid) is gone, shutting down")
                task.cancel()
                self?.shutdownGracefully()
                return
            }
            var byte: UInt8 = 0
            while write(descriptor, &byte, 1) == -1 && errno == EINTR {}
        }
    }
}
