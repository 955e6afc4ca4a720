/// The lifecycle of one server-side TLS connection, as a value: events in, actions out.
///
/// ```
/// idle ──active/data──▶ handshaking ──complete──▶ open ──close / peer close_notify──▶ closing ──▶ closed
///                            │                      │                                              ▲
///                            └──failure / close─────┴──────────── failure / channel inactive ──────┘
/// ```
///
/// The machine never touches OpenSSL or the channel; ``TLSServerHandler`` performs each returned action.
/// Unexpected peer behaviour is an action (close with an error), never a crash; a call the handler could
/// only make by mistake (completing a handshake that is not running) is a precondition failure.
struct TLSConnectionStateMachine: Sendable, Hashable {
    enum State: Sendable, Hashable {
        /// Handler added, channel not active yet.
        case idle
        /// Waiting for (or processing) the peer's handshake messages. Application writes are buffered.
        case handshaking
        /// Application data flows both ways.
        case open
        /// Our `close_notify` is sent (or being sent); we still read so the peer's alert is consumed.
        case closing
        /// Nothing more is read or written.
        case closed
    }

    private(set) var state: State = .idle

    /// What to do with bytes received from the network.
    enum InboundAction: Sendable, Hashable {
        /// Feed them to the handshake.
        case handshake
        /// Feed them to the record layer and pass on the plaintext.
        case decrypt
        /// Drop them: the connection is finished.
        case discard
    }

    /// What to do with an application write.
    enum WriteAction: Sendable, Hashable {
        /// Queue it until the next flush (or the end of the handshake).
        case buffer
        /// Fail it: `close_notify` was sent or the channel closed.
        case fail
    }

    /// What to do on an application flush.
    enum FlushAction: Sendable, Hashable {
        /// Encrypt the flushed writes and send them.
        case encryptAndSend
        /// Remember the flush; the handshake is still running.
        case deferUntilOpen
        /// Nothing can be sent any more.
        case ignore
    }

    /// What to do when the application closes the connection.
    enum CloseAction: Sendable, Hashable {
        /// No TLS session to end politely: close the channel now.
        case closeNow
        /// Send `close_notify`, then close once it is written.
        case sendCloseNotifyThenClose
        /// A close is already under way; complete with it.
        case joinPendingClose
    }

    /// What to do when the peer's `close_notify` arrives.
    enum PeerCloseAction: Sendable, Hashable {
        /// Answer with our `close_notify` (RFC 8446 §6.1), then close.
        case replyThenClose
        /// Ours was already sent: close now.
        case close
        /// Already closed.
        case ignore
    }

    /// The channel became active.
    /// - Returns: Whether a handshake should start now.
    mutating func channelActive() -> Bool {
        switch self.state {
        case .idle:
            self.state = .handshaking
            return true
        case .handshaking, .open, .closing, .closed:
            return false
        }
    }

    /// Ciphertext arrived.
    mutating func receivedCiphertext() -> InboundAction {
        switch self.state {
        case .idle:
            // Data before channelActive happens with hand-driven test channels; it can only be a ClientHello.
            self.state = .handshaking
            return .handshake
        case .handshaking:
            return .handshake
        case .open, .closing:
            return .decrypt
        case .closed:
            return .discard
        }
    }

    /// The handshake finished successfully.
    mutating func handshakeCompleted() {
        switch self.state {
        case .handshaking:
            self.state = .open
        case .idle, .open, .closing, .closed:
            preconditionFailure("TLS handshake completed in state \(self.state)")
        }
    }

    /// The handshake, decryption or encryption failed; the handler closes the channel with the error.
    mutating func failed() {
        self.state = .closed
    }

    /// The application wrote.
    func writeRequested() -> WriteAction {
        switch self.state {
        case .idle, .handshaking, .open:
            return .buffer
        case .closing, .closed:
            return .fail
        }
    }

    /// The application flushed.
    func flushRequested() -> FlushAction {
        switch self.state {
        case .idle, .handshaking:
            return .deferUntilOpen
        case .open:
            return .encryptAndSend
        case .closing, .closed:
            return .ignore
        }
    }

    /// The application asked to close (output or everything).
    mutating func closeRequested() -> CloseAction {
        switch self.state {
        case .idle, .handshaking:
            self.state = .closed
            return .closeNow
        case .open:
            self.state = .closing
            return .sendCloseNotifyThenClose
        case .closing:
            return .joinPendingClose
        case .closed:
            return .closeNow
        }
    }

    /// The peer's `close_notify` was decrypted.
    mutating func peerSentCloseNotify() -> PeerCloseAction {
        switch self.state {
        case .open:
            self.state = .closing
            return .replyThenClose
        case .closing:
            self.state = .closed
            return .close
        case .closed:
            return .ignore
        case .idle, .handshaking:
            preconditionFailure("close_notify decrypted in state \(self.state)")
        }
    }

    /// The channel went inactive.
    mutating func channelInactive() {
        self.state = .closed
    }
}
