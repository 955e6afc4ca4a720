import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Accepts connections on a listening socket other processes accept on too (the prefork master's
/// socket shared by every worker, or start_server's socket while two generations overlap), on a
/// thread of its own, and hands each connection to an event loop.
///
/// Why not a NIO server channel: every process polling a shared socket is woken for each
/// connection and all but one find nothing to accept; SwiftNIO treats such an empty read of a
/// listening socket as impossible (an assertion in debug builds). Here the empty accept is the
/// ordinary `EAGAIN` of a poll-then-accept loop. The thread blocks in `poll`, so an idle listener
/// costs no CPU.
final class SharedListenerAcceptor: Sendable {
    private let descriptor: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let pool: NIOThreadPool
    private let stopped = Atomic<Bool>(false)

    /// Starts accepting on `descriptor` (which this object now owns and closes in ``stop()``).
    /// - Parameter handOver: Called on the accept thread with each accepted, non-blocking descriptor.
    init(descriptor: Int32, logger: ServerLogger, handOver: @escaping @Sendable (Int32) -> Void) throws {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else {
            throw PAGIServerError(code: .bindFailed, message: "cannot create the accept thread's wake pipe: errno \(errno)")
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        // Non-blocking, or an accept that lost the race to another process would block until the
        // next connection (and ignore stop()). The flag is shared by every process holding the
        // socket, which all poll before accepting.
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        self.descriptor = descriptor
        self.wakeRead = pipeEnds[0]
        self.wakeWrite = pipeEnds[1]
        self.pool = NIOThreadPool(numberOfThreads: 1)
        self.pool.start()
        let listening = descriptor
        let wake = pipeEnds[0]
        // The thread holds `self` until the loop ends, which ``stop()`` causes.
        self.pool.submit { state in
            guard case .active = state else { return }
            Self.acceptLoop(listening: listening, wake: wake, stopped: self.stopped, logger: logger, handOver: handOver)
        }
    }

    private static func acceptLoop(
        listening: Int32,
        wake: Int32,
        stopped: borrowing Atomic<Bool>,
        logger: ServerLogger,
        handOver: @Sendable (Int32) -> Void
    ) {
        var descriptors = [pollfd(fd: listening, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
        while !stopped.load(ordering: .acquiring) {
            descriptors[0].revents = 0
            descriptors[1].revents = 0
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                logger.log(.error, "Accept error: poll failed with errno \(errno)")
                return
            }
            if descriptors[1].revents != 0 { return }
            // Take everything queued: one wakeup may stand for several connections.
            while !stopped.load(ordering: .acquiring) {
                let connection = accept(listening, nil, nil)
                if connection >= 0 {
                    // (accept4 is not in Swift's Glibc module; workers never spawn, so the
                    // close-on-exec window does not matter.)
                    _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
                    _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) | O_NONBLOCK)
                    handOver(connection)
                    continue
                }
                let error = errno
                if error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == ECONNABORTED || error == EPROTO { break }
                if error == EMFILE || error == ENFILE {
                    logger.log(.warn, "Accept error (FD exhaustion): errno \(error) - pausing accept for 100ms")
                    usleep(100_000)
                    break
                }
                logger.log(.error, "Accept error: errno \(error)")
                usleep(10_000)
                break
            }
        }
    }

    /// Stops accepting, waits for the thread, and closes this process's copy of the socket (the
    /// other processes sharing it keep accepting).
    func stop() async {
        guard !self.stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var byte: UInt8 = 1
        _ = write(self.wakeWrite, &byte, 1)
        try? await self.pool.shutdownGracefully()
        close(self.descriptor)
        close(self.wakeRead)
        close(self.wakeWrite)
    }
}
