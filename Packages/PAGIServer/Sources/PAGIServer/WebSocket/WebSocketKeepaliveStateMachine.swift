/// The `websocket.keepalive` timers of one open WebSocket (protocol §7.2, server-behaviour §12.3):
/// a PING every `interval`, and with a `timeout` a deadline for the PONG after each PING.
///
/// Timers are the handler's; the machine says when to start and cancel them. Every scheduled
/// timer carries a generation number and a fired timer reports it back: a timer from an older
/// setting (the app sent a new `websocket.keepalive`, last wins) is recognised and ignored, so the
/// handler never has to race a cancellation.
struct WebSocketKeepaliveStateMachine: Sendable {
    enum Action: Sendable, Hashable {
        /// Cancel any ping and pong timers; if `interval` is set, schedule the next ping timer
        /// with this generation.
        case reschedule(pingAfter: Duration?, generation: UInt64)
        /// Send an empty PING, schedule the next ping timer, and if `pongTimeout` is set arm the
        /// pong timer; all with this generation. `nil` leaves a running pong timer alone.
        case sendPing(nextPingAfter: Duration, pongTimeout: Duration?, generation: UInt64)
        /// Cancel the pong timer.
        case cancelPongTimer
        /// No PONG in time: end the connection as ``WebSocketEndCause/dropped(_:)`` with
        /// `keepalive_timeout` (code `1006` to the app).
        case closeForKeepaliveTimeout
        case none
    }

    private var interval: Duration?
    private var timeout: Duration?
    private var generation: UInt64 = 0
    private var awaitingPong = false

    /// The app sent `websocket.keepalive`; `interval == 0` stops pinging.
    /// - Parameters:
    ///   - interval: Seconds between PINGs (validated finite and non-negative by `PAGIOutboundEvent.validate`).
    ///   - timeout: Seconds to wait for each PONG; `nil` or `0` pings without dead-peer detection.
    mutating func configure(interval: Double, timeout: Double?) -> Action {
        self.generation &+= 1
        self.awaitingPong = false
        self.interval = interval > 0 ? Duration.seconds(interval) : nil
        self.timeout = timeout.flatMap { $0 > 0 ? Duration.seconds($0) : nil }
        return .reschedule(pingAfter: self.interval, generation: self.generation)
    }

    mutating func pingTimerFired(generation: UInt64) -> Action {
        guard generation == self.generation, let interval = self.interval else { return .none }
        // With a PONG still outstanding (timeout longer than the interval) the running pong timer
        // keeps its deadline: re-arming it on every PING would postpone detection forever.
        let armPongTimer = self.timeout != nil && !self.awaitingPong
        self.awaitingPong = self.awaitingPong || self.timeout != nil
        return .sendPing(nextPingAfter: interval, pongTimeout: armPongTimer ? self.timeout : nil, generation: generation)
    }

    /// Any PONG counts, solicited or not (RFC 6455 §5.5.3 allows unsolicited PONGs as heartbeats).
    mutating func pongReceived() -> Action {
        guard self.awaitingPong else { return .none }
        self.awaitingPong = false
        return .cancelPongTimer
    }

    mutating func pongTimerFired(generation: UInt64) -> Action {
        guard generation == self.generation, self.awaitingPong else { return .none }
        self.awaitingPong = false
        return .closeForKeepaliveTimeout
    }
}
