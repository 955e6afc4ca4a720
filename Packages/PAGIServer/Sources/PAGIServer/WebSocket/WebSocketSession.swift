import NIOCore
import PAGI
import PAGIWebSocket

/// The state of one `websocket` scope, from `websocket.connect` to the end of the connection.
/// Confined to the connection's event loop; the connection handler drives it.
///
/// The value-type machines decide (``WebSocketSendStateMachine``, ``WebSocketReceiveQueue``,
/// ``WebSocketKeepaliveStateMachine``); this class only holds them together with the I/O state
/// that cannot be a value: the frame reader and writer (which may own zlib streams), the
/// suspended `receive` and the timers.
final class WebSocketSession {
    /// What the client offered in its handshake.
    let offer: WebSocketHandshakeOffer
    var sendMachine: WebSocketSendStateMachine
    var queue: WebSocketReceiveQueue
    var keepalive = WebSocketKeepaliveStateMachine()
    /// Created on `websocket.accept`, when permessage-deflate is negotiated.
    var reader: WebSocketReader?
    var writer: WebSocketWriter?
    /// Reused frame output, so a steady stream of sends does not allocate an array each.
    var scratch: [UInt8] = []
    var receiveWaiter: CheckedContinuation<PAGIInboundEvent, any Error>?
    /// A Close frame was written (by the app, the server, or as an echo); no data frame follows.
    var closeSent = false
    /// The connection ended and the app was (or will be) given its `websocket.disconnect`.
    var ended = false
    /// The server sent its Close after the end (shutdown, violation, overflow): input is still
    /// read, and dropped, until the peer's Close, EOF or the close-handshake timeout — closing
    /// with unread input would reset the connection and could destroy the Close frame in flight.
    var awaitingPeerClose = false
    /// The negotiated compression, for the access log and diagnostics.
    var deflate: PerMessageDeflateParameters?
    var idleDeadline = NIODeadline.distantFuture
    var idleTimer: Scheduled<Void>?
    var pingTimer: Scheduled<Void>?
    var pongTimer: Scheduled<Void>?
    var closeTimer: Scheduled<Void>?

    init(offer: WebSocketHandshakeOffer, receiveQueueLimit: Int) {
        self.offer = offer
        self.sendMachine = WebSocketSendStateMachine(denialAdvertised: true)
        self.queue = WebSocketReceiveQueue(limit: receiveQueueLimit)
    }

    func cancelTimers() {
        self.idleTimer?.cancel()
        self.idleTimer = nil
        self.pingTimer?.cancel()
        self.pingTimer = nil
        self.pongTimer?.cancel()
        self.pongTimer = nil
        self.closeTimer?.cancel()
        self.closeTimer = nil
    }
}

@available(*, unavailable)
extension WebSocketSession: Sendable {}
