/// How a WebSocket connection ended, as reported to the application (PAGI `websocket.disconnect`).
///
/// For a Close from the peer, `code`/`reason` are the peer's (1005 when its Close had no code). For
/// endings we detect ourselves, `reason` is a PAGI disconnect token (`protocol_error`,
/// `client_closed`, …), never free text.
public struct WebSocketDisconnect: Sendable, Hashable {
    /// The close code to report.
    public var code: WebSocketCloseCode
    /// The reason to report.
    public var reason: String

    /// Creates a disconnect report.
    /// - Parameters:
    ///   - code: The code to report.
    ///   - reason: The peer's reason or a PAGI token.
    public init(code: WebSocketCloseCode, reason: String) {
        self.code = code
        self.reason = reason
    }
}

/// The close handshake of one open WebSocket connection
/// ([RFC 6455 §5.5.1, §7](https://www.rfc-editor.org/rfc/rfc6455#section-7)): who sent Close first,
/// what may still be sent, and when the TCP connection may go.
///
/// A value type: every event is a `mutating func` returning what the owner must do; the machine
/// performs no I/O and holds no timer. The owner arms a close timeout when told to wait
/// (``SendCloseAction/sendClose(_:)``) and reports it with ``closeTimeoutElapsed()``.
///
/// States: `open` → (we send Close) `closeSent` → (peer's Close arrives) `closed`;
/// `open` → (peer's Close arrives, we echo) `closed`; any → (connection lost, protocol error) `closed`.
/// While `closeSent`, inbound data is discarded and nothing more is written (RFC 6455 §5.5.1: no
/// data after Close); Pings are not answered.
public struct WebSocketConnectionStateMachine: Sendable {
    private enum State: Sendable, Hashable {
        case open
        case closeSent
        case closed
    }

    private var state: State = .open

    /// Creates the machine for a connection that has just completed its handshake.
    public init() {}

    /// Whether data messages may still be sent.
    public var canSendMessages: Bool { self.state == .open }

    /// Whether the connection has fully ended (nothing more may be read or written).
    public var isClosed: Bool { self.state == .closed }

    /// What to do with an outgoing data message or our own Ping.
    public enum SendAction: Sendable, Hashable {
        /// Write it.
        case send
        /// Drop it silently: a Close was already sent or the connection ended (PAGI: send after
        /// close is a no-op).
        case drop
    }

    /// The application (or keepalive) wants to send a message or Ping.
    /// - Returns: Whether to write it.
    public func sendMessage() -> SendAction {
        self.state == .open ? .send : .drop
    }

    /// What to do after the application asked to close.
    public enum SendCloseAction: Sendable, Hashable {
        /// Write this Close frame, then wait for the peer's Close (arm the close timeout).
        case sendClose(WebSocketClosePayload)
        /// A Close was already sent or the connection ended; do nothing.
        case ignore
    }

    /// The application sends Close (PAGI `websocket.close`).
    /// - Parameter close: The code and reason to send.
    /// - Returns: What to do.
    public mutating func sendClose(_ close: WebSocketClosePayload) -> SendCloseAction {
        switch self.state {
        case .open:
            self.state = .closeSent
            return .sendClose(close)
        case .closeSent, .closed:
            return .ignore
        }
    }

    /// What to do after the peer's Close arrived.
    public enum ReceivedCloseAction: Sendable, Hashable {
        /// Echo this Close, close the TCP connection, and report the disconnect.
        case replyAndClose(reply: WebSocketClosePayload, disconnect: WebSocketDisconnect)
        /// Our Close was already sent: the handshake is complete; close the TCP connection and
        /// report the disconnect.
        case close(disconnect: WebSocketDisconnect)
        /// The connection already ended; ignore.
        case ignore
    }

    /// The peer's Close frame arrived (already validated by the parser).
    /// - Parameter close: The peer's Close payload.
    /// - Returns: What to do.
    public mutating func receivedClose(_ close: WebSocketClosePayload) -> ReceivedCloseAction {
        let disconnect = WebSocketDisconnect(code: close.reportedCode, reason: close.reason)
        switch self.state {
        case .open:
            self.state = .closed
            // Echo the peer's code and reason; a code-less Close gets a code-less reply, since 1005
            // must not be sent (REF echoed 1005 ⚠).
            return .replyAndClose(reply: close, disconnect: disconnect)
        case .closeSent:
            self.state = .closed
            return .close(disconnect: disconnect)
        case .closed:
            return .ignore
        }
    }

    /// What to do with an inbound data message.
    public enum ReceivedMessageAction: Sendable, Hashable {
        /// Hand it to the application.
        case deliver
        /// Discard it: we already sent Close (or the connection ended).
        case discard
    }

    /// A data message arrived.
    /// - Returns: Whether to deliver it.
    public func receivedMessage() -> ReceivedMessageAction {
        self.state == .open ? .deliver : .discard
    }

    /// What to do with an inbound Ping.
    public enum ReceivedPingAction: Sendable, Hashable {
        /// Write a Pong with this payload.
        case sendPong([UInt8])
        /// Do not answer: a Close was already sent or the connection ended.
        case ignore
    }

    /// A Ping arrived.
    /// - Parameter payload: The Ping's payload.
    /// - Returns: Whether to answer.
    public func receivedPing(_ payload: [UInt8]) -> ReceivedPingAction {
        self.state == .open ? .sendPong(payload) : .ignore
    }

    /// What to do after we detected a protocol violation.
    public enum ProtocolViolationAction: Sendable, Hashable {
        /// Write this Close, close the TCP connection, report the disconnect.
        case sendCloseAndClose(WebSocketClosePayload, disconnect: WebSocketDisconnect)
        /// Our Close is already out: close the TCP connection and report the disconnect.
        case close(disconnect: WebSocketDisconnect)
        /// The connection already ended; ignore.
        case ignore
    }

    /// The reader reported a protocol error.
    /// - Parameter error: The error.
    /// - Returns: What to do. The disconnect carries the code we sent and the PAGI token
    ///   `protocol_error`.
    public mutating func protocolViolation(_ error: WebSocketProtocolError) -> ProtocolViolationAction {
        let disconnect = WebSocketDisconnect(code: error.closeCode, reason: "protocol_error")
        switch self.state {
        case .open:
            self.state = .closed
            return .sendCloseAndClose(WebSocketClosePayload(code: error.closeCode, reason: error.closeReason), disconnect: disconnect)
        case .closeSent:
            self.state = .closed
            return .close(disconnect: disconnect)
        case .closed:
            return .ignore
        }
    }

    /// What to do when the connection ends without a completed close handshake.
    public enum ConnectionEndedAction: Sendable, Hashable {
        /// Close the TCP connection (if still open) and report the disconnect.
        case close(disconnect: WebSocketDisconnect)
        /// Already ended; ignore.
        case ignore
    }

    /// The peer did not answer our Close in time.
    /// - Returns: Close with 1006 and PAGI token `client_timeout`.
    public mutating func closeTimeoutElapsed() -> ConnectionEndedAction {
        self.end(reason: "client_timeout")
    }

    /// The transport ended or failed without a Close handshake (EOF, read/write error, timeout,
    /// shutdown).
    /// - Parameter reason: The PAGI disconnect token, e.g. `client_closed`, `write_error`,
    ///   `keepalive_timeout`, `server_shutdown`.
    /// - Returns: Report 1006 with `reason`, unless the connection already ended.
    public mutating func connectionEnded(reason: String) -> ConnectionEndedAction {
        self.end(reason: reason)
    }

    private mutating func end(reason: String) -> ConnectionEndedAction {
        switch self.state {
        case .open, .closeSent:
            self.state = .closed
            return .close(disconnect: WebSocketDisconnect(code: .abnormalClosure, reason: reason))
        case .closed:
            return .ignore
        }
    }
}
