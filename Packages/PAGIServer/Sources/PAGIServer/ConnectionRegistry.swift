import NIOCore
import Synchronization

/// Counts and remembers the open connections of one server, across all its event loops.
///
/// It enforces `max_connections` at accept time and lets graceful shutdown reach every
/// connection and wait for the last one to close.
final class ConnectionRegistry: Sendable {
    private struct State {
        var channels: [ObjectIdentifier: any Channel] = [:]
        var isDraining = false
        var nextWaiterID = 0
        var emptyWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())
    let maxConnections: Int

    init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    /// The outcome of ``register(_:)``.
    enum Registration: Equatable {
        /// Registered; `draining` says graceful shutdown has already begun, so the connection
        /// must be quiesced by its caller (it was not among the channels the drain reached).
        case registered(draining: Bool)
        /// Refused: the server is at capacity with this many connections.
        case rejected(count: Int)
    }

    /// Registers a new connection unless the server is at capacity.
    func register(_ channel: any Channel) -> Registration {
        let id = ObjectIdentifier(channel)
        let registration: Registration = self.state.withLock { state in
            guard state.channels.count < self.maxConnections else { return .rejected(count: state.channels.count) }
            state.channels[id] = channel
            return .registered(draining: state.isDraining)
        }
        if case .registered = registration {
            channel.closeFuture.whenComplete { _ in self.unregister(id) }
        }
        return registration
    }

    /// Marks the start of graceful shutdown and returns the connections open at that moment.
    /// Every connection is either in the returned list or told `draining` by ``register(_:)``: a
    /// connection accepted just before the listeners closed but set up just after is not missed.
    func beginDraining() -> [any Channel] {
        self.state.withLock { state in
            state.isDraining = true
            return Array(state.channels.values)
        }
    }

    private func unregister(_ id: ObjectIdentifier) {
        let waiters: [CheckedContinuation<Void, Never>] = self.state.withLock { state in
            state.channels[id] = nil
            guard state.channels.isEmpty else { return [] }
            defer { state.emptyWaiters = [:] }
            return Array(state.emptyWaiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    var count: Int { self.state.withLock { $0.channels.count } }

    var channels: [any Channel] { self.state.withLock { Array($0.channels.values) } }

    /// Suspends until no connection is open, or until the calling task is cancelled (so a
    /// timeout racing it in a task group can end the wait).
    func waitUntilEmpty() async {
        let id = self.state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = self.state.withLock { state in
                    if state.channels.isEmpty || Task.isCancelled { return true }
                    state.emptyWaiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.emptyWaiters.removeValue(forKey: id) }
            waiter?.resume()
        }
    }
}

/// Answers a connection accepted above `max_connections` with the reference server's exact 503,
/// then closes it without reading the request (server-behaviour §2).
final class AtCapacityResponder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    static let response: StaticString =
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 46\r\nConnection: close\r\nRetry-After: 5\r\n\r\n503 Service Unavailable - Server at capacity\r\n"

    func channelActive(context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: Self.response.utf8CodeUnitCount)
        buffer.writeStaticString(Self.response)
        // Close only once the bytes are out: closing right away would drop a write still queued
        // on a full socket.
        context.writeAndFlush(Self.wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Inbound bytes are ignored: the answer does not depend on the request.
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension AtCapacityResponder: Sendable {}
