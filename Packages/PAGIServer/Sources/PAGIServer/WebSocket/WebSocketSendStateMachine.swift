/// The send side of one `websocket` scope (protocol §7.1, §7.6, §7.7).
///
/// ```
/// connecting --accept--> open --close--> closed
/// connecting --close--> closed                               (handshake refused with 403)
/// connecting --http.response.start--> denying --body(more: false)--> closed
/// any --peer gone / Close frame exchanged--> closed          (every later send is a no-op)
/// ```
///
/// The machine never touches I/O: each event returns what the connection handler must do.
///
/// Decisions (see the package README):
/// - `websocket.send` and `websocket.keepalive` before `websocket.accept` fail the `send` with a
///   message instead of being silently ignored as in the reference server: a message that never
///   leaves hides an application bug.
/// - Denial events after `websocket.accept` are ignored, as protocol §7.6 requires (⚠: SSE
///   raises in the same position); `websocket.accept` once open is ignored too (§7.7).
/// - Events that contradict an answer already being written (an `accept` or `close` while a
///   denial response is half sent, a second denial start) fail the `send`.
struct WebSocketSendStateMachine: Sendable {
    enum State: Sendable, Hashable {
        case connecting(denialAdvertised: Bool)
        case denying
        case open
        case closed
    }

    /// What the handler does with `websocket.accept`.
    enum AcceptAction: Sendable, Hashable {
        /// Write the `101` (HTTP/1.1) handshake response and switch to WebSocket framing.
        case completeHandshake
        case ignore
        case reject(String)
    }

    /// What the handler does with `websocket.close`.
    enum CloseAction: Sendable, Hashable {
        /// Before the handshake: answer HTTP `403` and close; no `websocket.disconnect` follows.
        case refuseHandshakeWith403
        /// Send a Close frame with the app's code and reason, then await the peer's Close.
        case sendCloseFrame
        case ignore
        case reject(String)
    }

    /// What the handler does with `websocket.send`.
    enum SendAction: Sendable, Hashable {
        case sendMessage
        case ignore
        case reject(String)
    }

    /// What the handler does with `websocket.keepalive`.
    enum KeepaliveAction: Sendable, Hashable {
        /// Replace the ping timer with the new setting (interval `0` stops it).
        case reschedulePings
        case ignore
        case reject(String)
    }

    /// What the handler does with `websocket.http.response.start`.
    enum DenialStartAction: Sendable, Hashable {
        /// Write the app's HTTP response head instead of the handshake.
        case writeDenialHead
        case ignore
        case reject(String)
    }

    /// What the handler does with `websocket.http.response.body`.
    enum DenialBodyAction: Sendable, Hashable {
        case writePart
        /// Write the bytes, end the response and close; no `websocket.disconnect` follows.
        case writeFinalAndClose
        case ignore
        case reject(String)
    }

    /// What the handler does when the application returns.
    enum AppReturnedAction: Sendable, Hashable {
        /// The app never answered the handshake: refuse it with `403`.
        case refuseHandshakeWith403
        /// The denial body never ended: end it and close.
        case endDenialAndClose
        /// Close the open connection normally (Close frame `1000`).
        case sendNormalCloseFrame
        case none
    }

    private(set) var state: State

    /// - Parameter denialAdvertised: Whether the scope lists the `websocket.http.response`
    ///   extension (protocol §7.6).
    init(denialAdvertised: Bool) {
        self.state = .connecting(denialAdvertised: denialAdvertised)
    }

    mutating func accept() -> AcceptAction {
        switch self.state {
        case .connecting:
            self.state = .open
            self.didOpen = true
            return .completeHandshake
        case .denying:
            return .reject("websocket.accept after websocket.http.response.start: the handshake is being denied")
        case .open, .closed:
            return .ignore
        }
    }

    mutating func close() -> CloseAction {
        switch self.state {
        case .connecting:
            self.state = .closed
            return .refuseHandshakeWith403
        case .denying:
            return .reject("websocket.close while a denial response is being sent; end it with a final websocket.http.response.body")
        case .open:
            self.state = .closed
            return .sendCloseFrame
        case .closed:
            return .ignore
        }
    }

    mutating func send() -> SendAction {
        switch self.state {
        case .connecting:
            return .reject("websocket.send before websocket.accept; accept the connection first")
        case .denying:
            return .reject("websocket.send after websocket.http.response.start: the handshake was denied")
        case .open:
            return .sendMessage
        case .closed:
            return .ignore
        }
    }

    mutating func keepalive() -> KeepaliveAction {
        switch self.state {
        case .connecting:
            return .reject("websocket.keepalive before websocket.accept; accept the connection first")
        case .denying:
            return .reject("websocket.keepalive after websocket.http.response.start: the handshake was denied")
        case .open:
            return .reschedulePings
        case .closed:
            return .ignore
        }
    }

    mutating func denialStart() -> DenialStartAction {
        switch self.state {
        case .connecting(let advertised):
            guard advertised else {
                return .reject("websocket.http.response.start needs the websocket.http.response extension, which this scope does not advertise; use websocket.close for a 403")
            }
            self.state = .denying
            return .writeDenialHead
        case .denying:
            return .reject("websocket.http.response.start was already sent; send it exactly once")
        case .open, .closed:
            return .ignore
        }
    }

    mutating func denialBody(more: Bool) -> DenialBodyAction {
        switch self.state {
        case .connecting:
            return .reject("websocket.http.response.body before websocket.http.response.start; send the start first")
        case .denying:
            if more { return .writePart }
            self.state = .closed
            return .writeFinalAndClose
        case .open, .closed:
            return .ignore
        }
    }

    /// Whether the handshake completed. Only then is the app ever owed a `websocket.disconnect`:
    /// a refused or denied handshake ends without one (protocol §7.6).
    private(set) var didOpen = false

    /// The peer's Close arrived, the connection dropped, or the server closed it on its own;
    /// every later send is a no-op (protocol §7.3).
    mutating func connectionEnded() {
        self.state = .closed
    }

    mutating func appReturned() -> AppReturnedAction {
        switch self.state {
        case .connecting:
            self.state = .closed
            return .refuseHandshakeWith403
        case .denying:
            self.state = .closed
            return .endDenialAndClose
        case .open:
            self.state = .closed
            return .sendNormalCloseFrame
        case .closed:
            return .none
        }
    }
}
