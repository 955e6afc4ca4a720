/// The send side of one `sse` scope: which `sse.*` event may come next (protocol §8.4, §8.8).
///
/// ```
/// new --sse.start--> streaming --sse.close--> closedByApp
/// new --sse.http.response.start--> declining --body(more: false)--> declined
/// any --peer gone--> disconnected   (every later send is a silent no-op)
/// ```
///
/// The machine never touches I/O: each event returns what the connection handler must do.
/// An `sse.keepalive` that arrives before `sse.start` is remembered and handed back with the
/// start, so the timer only begins once the head is on the wire (protocol §8.8, NEW row).
struct SSESendStateMachine: Sendable {
    /// A keepalive setting: write `comment` every `interval` seconds.
    struct Keepalive: Sendable, Hashable {
        var interval: Double
        var comment: String
    }

    enum State: Sendable, Hashable {
        case new(pendingKeepalive: Keepalive?)
        case streaming
        case declining
        case declined
        case closedByApp
        case disconnected
    }

    /// What the handler does with an `sse.start`.
    enum StartAction: Sendable, Hashable {
        /// Write the stream head; then start the keepalive timer if one is given.
        case writeHead(startKeepalive: Keepalive?)
        case dropSilently
        case reject(String)
    }

    /// What the handler does with `sse.send` or `sse.comment`.
    enum StreamWriteAction: Sendable, Hashable {
        case write
        case dropSilently
        case reject(String)
    }

    /// What the handler does with an `sse.keepalive`.
    enum KeepaliveAction: Sendable, Hashable {
        /// Replace the running timer (interval `0` stops it).
        case reschedule(Keepalive)
        /// Before the start: nothing to do yet; the start action carries the setting.
        case remember
        case dropSilently
        case reject(String)
    }

    /// What the handler does with an `sse.close`.
    enum CloseAction: Sendable, Hashable {
        /// Stop the keepalive timer, flush, write the end of the stream and close now.
        case endStream
        case dropSilently
        case reject(String)
    }

    /// What the handler does with an `sse.http.response.start`.
    enum DeclineStartAction: Sendable, Hashable {
        /// Write a plain HTTP response head (not an event stream).
        case writeDeclineHead
        case dropSilently
        case reject(String)
    }

    /// What the handler does with an `sse.http.response.body`.
    enum DeclineBodyAction: Sendable, Hashable {
        case writePart
        /// Write the bytes, end the response and close the connection; no `sse.disconnect` follows.
        case writeFinalAndClose
        case dropSilently
        case reject(String)
    }

    /// What the handler does when the application returns.
    enum AppReturnedAction: Sendable, Hashable {
        /// Nothing was sent: answer `500` as for an `http` scope.
        case sendInternalServerError
        /// Flush and write the end of the stream (identical on the wire to `sse.close`).
        case endStream
        /// The decline body never ended: end it and close.
        case endDeclineAndClose
        case none
    }

    private(set) var state: State = .new(pendingKeepalive: nil)

    /// Whether events may be written now.
    var isStreaming: Bool { self.state == .streaming }

    mutating func start() -> StartAction {
        switch self.state {
        case .new(let pending):
            self.state = .streaming
            return .writeHead(startKeepalive: pending.flatMap { $0.interval > 0 ? $0 : nil })
        case .streaming, .closedByApp:
            return .reject("sse.start was already sent; send it exactly once")
        case .declining, .declined:
            return .reject("sse.start after sse.http.response.start: the stream was declined, it cannot start")
        case .disconnected:
            return .dropSilently
        }
    }

    /// `sse.send` and `sse.comment` follow the same rules.
    /// - Parameter eventType: The event's type string, for the error message.
    mutating func write(eventType: String) -> StreamWriteAction {
        switch self.state {
        case .new:
            return .reject("\(eventType) before sse.start; send sse.start first")
        case .streaming:
            return .write
        case .declining, .declined:
            return .reject("\(eventType) after sse.http.response.start: a declined stream carries no events")
        case .closedByApp:
            return .reject("\(eventType) after sse.close: the stream has ended")
        case .disconnected:
            return .dropSilently
        }
    }

    mutating func keepalive(_ setting: Keepalive) -> KeepaliveAction {
        switch self.state {
        case .new:
            // Last one wins, also before the start.
            self.state = .new(pendingKeepalive: setting)
            return .remember
        case .streaming:
            return .reschedule(setting)
        case .declining, .declined:
            return .reject("sse.keepalive after sse.http.response.start: a declined stream carries no events")
        case .closedByApp:
            return .reject("sse.keepalive after sse.close: the stream has ended")
        case .disconnected:
            return .dropSilently
        }
    }

    mutating func close() -> CloseAction {
        switch self.state {
        case .new:
            return .reject("sse.close before sse.start; decline with sse.http.response.start instead")
        case .streaming:
            self.state = .closedByApp
            return .endStream
        case .declining, .declined:
            return .reject("sse.close after sse.http.response.start: end the decline with a final sse.http.response.body")
        case .closedByApp, .disconnected:
            return .dropSilently
        }
    }

    mutating func declineStart() -> DeclineStartAction {
        switch self.state {
        case .new:
            self.state = .declining
            return .writeDeclineHead
        case .streaming, .closedByApp:
            return .reject("sse.http.response.start after sse.start: the stream already started and cannot be declined")
        case .declining, .declined:
            return .reject("sse.http.response.start was already sent; send it exactly once")
        case .disconnected:
            return .dropSilently
        }
    }

    mutating func declineBody(more: Bool) -> DeclineBodyAction {
        switch self.state {
        case .new:
            return .reject("sse.http.response.body before sse.http.response.start; send the start first")
        case .streaming, .closedByApp:
            return .reject("sse.http.response.body after sse.start: the stream already started and cannot be declined")
        case .declining:
            if more { return .writePart }
            self.state = .declined
            return .writeFinalAndClose
        case .declined:
            return .reject("sse.http.response.body after the final body (more = false); the response is complete")
        case .disconnected:
            return .dropSilently
        }
    }

    /// The client went away or a write failed.
    /// - Returns: Whether the app is owed an `sse.disconnect`: only once `sse.start` went out
    ///   (a declined stream ends without one, protocol §8.4).
    mutating func peerDisconnected() -> Bool {
        let owed = self.state == .streaming || self.state == .closedByApp
        self.state = .disconnected
        return owed
    }

    mutating func appReturned() -> AppReturnedAction {
        switch self.state {
        case .new:
            return .sendInternalServerError
        case .streaming:
            self.state = .closedByApp
            return .endStream
        case .declining:
            self.state = .declined
            return .endDeclineAndClose
        case .declined, .closedByApp, .disconnected:
            return .none
        }
    }
}
