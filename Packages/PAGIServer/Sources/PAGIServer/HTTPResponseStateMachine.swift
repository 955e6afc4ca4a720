/// The send side of one HTTP request: which `http.response.*` event may come next (protocol §5.6).
///
/// ```
/// idle --start--> streaming --body(more)*--> streaming
/// streaming --final body | file--> complete                 (no trailers announced)
/// streaming --final body | file--> awaitingTrailers --trailers--> complete
/// any --connection gone--> closed   (every later send is a silent no-op)
/// ```
///
/// The machine never touches I/O: each event returns what the connection handler must do.
/// Deviation from the reference server, which silently ignores out-of-order events: a body
/// before the start, a second start, and anything after completion fail the `send` with a
/// message, because a silent drop hides application bugs.
struct HTTPResponseStateMachine: Sendable {
    enum State: Sendable, Hashable {
        case idle
        case streaming(trailers: Bool)
        case awaitingTrailers
        case complete
        case closed
    }

    /// What the handler does with an `http.response.start`.
    enum StartAction: Sendable, Hashable {
        case writeHead
        case dropSilently
        case reject(String)
    }

    /// What the handler does with an `http.response.body`.
    enum BodyAction: Sendable, Hashable {
        /// Write the bytes; more bodies follow.
        case writePart
        /// Write the bytes, then end the body (chunked terminator) and complete the response.
        case writeFinal
        /// Write the bytes and end the body, but wait for trailers before completing.
        case writeFinalAwaitTrailers
        case dropSilently
        case reject(String)
    }

    /// What the handler does with an `http.response.trailers`.
    enum TrailersAction: Sendable, Hashable {
        case writeTrailersAndComplete
        case dropSilently
        case reject(String)
    }

    private(set) var state: State = .idle

    var hasStarted: Bool {
        switch self.state {
        case .idle: false
        case .streaming, .awaitingTrailers, .complete: true
        case .closed: false
        }
    }

    var isComplete: Bool { self.state == .complete }

    mutating func start(trailers: Bool) -> StartAction {
        switch self.state {
        case .idle:
            self.state = .streaming(trailers: trailers)
            return .writeHead
        case .streaming, .awaitingTrailers, .complete:
            return .reject("http.response.start was already sent for this request; send it exactly once")
        case .closed:
            return .dropSilently
        }
    }

    /// - Parameter final: `true` for `more == false` and for file bodies, which always complete.
    mutating func body(final: Bool) -> BodyAction {
        switch self.state {
        case .idle:
            return .reject("http.response.body before http.response.start; send the start event first")
        case .streaming(let trailers):
            guard final else { return .writePart }
            if trailers {
                self.state = .awaitingTrailers
                return .writeFinalAwaitTrailers
            }
            self.state = .complete
            return .writeFinal
        case .awaitingTrailers:
            return .reject("http.response.body after the final body; the response now waits for http.response.trailers")
        case .complete:
            return .reject("http.response.body after the response completed; set more: true on every body but the last")
        case .closed:
            return .dropSilently
        }
    }

    mutating func trailers() -> TrailersAction {
        switch self.state {
        case .awaitingTrailers:
            self.state = .complete
            return .writeTrailersAndComplete
        case .idle, .streaming(trailers: false):
            return .reject("http.response.trailers without trailers: true in http.response.start")
        case .streaming(trailers: true):
            return .reject("http.response.trailers before the final http.response.body (more: false)")
        case .complete:
            return .reject("http.response.trailers after the response completed")
        case .closed:
            return .dropSilently
        }
    }

    /// The connection went away; every later send is a no-op.
    mutating func connectionClosed() {
        self.state = .closed
    }
}
