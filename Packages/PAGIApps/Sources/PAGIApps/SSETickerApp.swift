#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import PAGI

/// `sse-ticker`: an event stream with one `tick` event per interval (the first at once), carrying
/// an incrementing `id` and the current UTC time as `data`:
///
/// ```
/// event: tick
/// data: 2026-11-22T06:30:05Z
/// id: 42
///
/// ```
///
/// A reconnecting `EventSource` sends `Last-Event-ID`; when it is a non-negative integer the
/// stream continues with the next id, otherwise it starts at `1`. The stream runs until the
/// client goes away (`sse.disconnect`). An `http` request (no `Accept: text/event-stream`) gets
/// `406 Not Acceptable` with a hint.
struct SSETickerApp<TickClock: Clock<Duration> & Sendable>: Sendable {
    static var notAcceptableBody: String {
        "This endpoint serves Server-Sent Events: request it with Accept: text/event-stream.\n"
    }

    /// The time between two events.
    var interval: Duration
    /// Paces the events; tests inject one that does not really sleep.
    var clock: TickClock
    /// The wall-clock time written into each event, in Unix seconds.
    var now: @Sendable () -> Int64

    init(interval: Duration, clock: TickClock, now: @escaping @Sendable () -> Int64 = SSETickerWallClock.now) {
        self.interval = interval
        self.clock = clock
        self.now = now
    }

    func handle(scope: PAGIScope, receive: @escaping PAGIReceive, send: @escaping PAGISend) async throws {
        switch scope {
        case .sse(let sse):
            try await self.stream(headers: sse.request.headers, receive: receive, send: send)
        case .http:
            try await Self.answerNotAcceptable(send: send)
        case .websocket, .lifespan:
            throw PAGIUnsupportedScopeError(scope.type)
        }
    }

    /// Streams ticks until the client disconnects. Shared with `welcome`.
    func stream(headers: PAGIHeaders, receive: @escaping PAGIReceive, send: @escaping PAGISend) async throws {
        let firstID = Self.firstID(afterLastEventID: headers.first(name: "last-event-id"))
        try await send(.sseStart())
        // Sends after a disconnect are silent no-ops (protocol §8.8), so the ticker cannot learn
        // of the client's loss from `send`: a second task waits for `sse.disconnect` and the
        // first one to finish ends the stream.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.awaitDisconnect(receive: receive) }
            group.addTask { try await self.tick(from: firstID, send: send) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func tick(from firstID: Int, send: PAGISend) async throws {
        var id = firstID
        var deadline = self.clock.now
        while true {
            let event = PAGISSEMessage(data: ISO8601Timestamp.format(self.now()), event: "tick", id: String(id))
            try await send(.sseSend(event))
            id = id == Int.max ? 1 : id + 1
            // Deadlines, not fixed sleeps: a slow send does not make the ticker drift.
            deadline = deadline.advanced(by: self.interval)
            try await self.clock.sleep(until: deadline, tolerance: nil)
        }
    }

    private static func awaitDisconnect(receive: PAGIReceive) async throws {
        while true {
            switch try await receive() {
            case .sseDisconnect, .httpDisconnect:
                return
            default:
                // `sse.request` body parts: the ticker has no use for a request body.
                continue
            }
        }
    }

    /// The id of the first event: one past a numeric `Last-Event-ID`, else `1`.
    static func firstID(afterLastEventID lastEventID: String?) -> Int {
        guard let text = lastEventID?.trimmingASCIIWhitespace(), let last = Int(text), last >= 0, last < Int.max else {
            return 1
        }
        return last + 1
    }

    static func answerNotAcceptable(send: PAGISend) async throws {
        try await send(
            .httpResponseStart(
                status: 406,
                headers: [
                    ("content-type", "text/plain; charset=utf-8"),
                    ("content-length", String(Self.notAcceptableBody.utf8.count)),
                ]
            )
        )
        try await send(.httpResponseBody(.text(Self.notAcceptableBody)))
    }
}

/// The real wall clock for ``SSETickerApp``.
enum SSETickerWallClock {
    @Sendable static func now() -> Int64 {
        Int64(time(nil))
    }
}

extension String {
    fileprivate func trimmingASCIIWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = self.firstIndex(where: { !isSpace($0) }), let end = self.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[start...end]
    }
}
