import NIOCore
import PAGI
import Testing

@testable import PAGIApps

@Suite("SSETickerApp")
struct SSETickerAppTests {
    /// Runs the ticker until it has sent `ticks` events, then disconnects the client.
    private func run(
        ticks: Int,
        headers: [(String, String)] = [],
        inbound: [PAGIInboundEvent] = [.sseRequest(body: ByteBuffer(), more: false)],
        clock: TestClock = TestClock()
    ) async throws -> [PAGIOutboundEvent] {
        let app = SSETickerApp(interval: .seconds(1), clock: clock, now: { 1_795_329_005 })
        let connection = LiveConnection(scopeType: .sse, inbound: inbound) { sent in
            sseMessages(sent).count == ticks ? [.sseDisconnect(reason: .clientClosed)] : []
        }
        try await app.handle(scope: makeScope(.sse, path: "/", headers: headers), receive: connection.receive, send: connection.send)
        return connection.sent
    }

    @Test("starts the stream, then tick events with ids from 1 and the UTC time as data")
    func ticks() async throws {
        let sent = try await self.run(ticks: 3)
        #expect(sent.first == .sseStart())
        let messages = sseMessages(sent)
        #expect(messages.count >= 3)
        #expect(messages.prefix(3).map(\.id) == ["1", "2", "3"])
        #expect(messages.allSatisfy { $0.event == "tick" && $0.data == "2026-11-22T06:30:05Z" && $0.retry == nil })
    }

    @Test("the first tick is immediate, then one per interval on a fixed schedule")
    func schedule() async throws {
        let clock = TestClock()
        _ = try await self.run(ticks: 4, clock: clock)
        let deadlines = clock.deadlines
        #expect(deadlines.count >= 3)
        #expect(Array(deadlines.prefix(3)) == [.seconds(1), .seconds(2), .seconds(3)])
    }

    @Test("a numeric Last-Event-ID continues the count")
    func resumes() async throws {
        let messages = sseMessages(try await self.run(ticks: 2, headers: [("last-event-id", "41")]))
        #expect(messages.prefix(2).map(\.id) == ["42", "43"])
    }

    @Test(
        "first id after Last-Event-ID",
        arguments: [
            (nil, 1), ("0", 1), ("41", 42), (" 7\t", 8), ("abc", 1), ("-1", 1), ("", 1), ("1.5", 1),
            (String(Int.max), 1), (String(Int.max - 1), Int.max), ("99999999999999999999999", 1),
        ] as [(String?, Int)]
    )
    func firstID(lastEventID: String?, expected: Int) {
        #expect(SSETickerApp<TestClock>.firstID(afterLastEventID: lastEventID) == expected)
    }

    @Test("request body parts are read and ignored")
    func drainsBody() async throws {
        let inbound: [PAGIInboundEvent] = [
            .sseRequest(body: ByteBuffer(string: "a"), more: true), .sseRequest(body: ByteBuffer(string: "b"), more: false),
        ]
        let messages = sseMessages(try await self.run(ticks: 2, inbound: inbound))
        #expect(messages.count >= 2)
    }

    @Test("a disconnect before any tick still ends the app")
    func disconnectFirst() async throws {
        let app = SSETickerApp(interval: .seconds(1), clock: TestClock(), now: { 0 })
        let connection = LiveConnection(scopeType: .sse, inbound: [.sseDisconnect(reason: .clientClosed)])
        try await app.handle(scope: makeScope(.sse, path: "/"), receive: connection.receive, send: connection.send)
        #expect(connection.sent.first == .sseStart())
    }

    @Test("the public app ticks with the clock it is given")
    func publicApp() async throws {
        let app = PAGIApps.sseTicker(interval: .milliseconds(5), clock: TestClock())
        let connection = LiveConnection(scopeType: .sse) { sent in
            sseMessages(sent).count == 2 ? [.sseDisconnect(reason: .clientClosed)] : []
        }
        try await app(makeScope(.sse, path: "/"), connection.receive, connection.send)
        #expect(sseMessages(connection.sent).prefix(2).map(\.id) == ["1", "2"])
    }

    @Test("an http request gets 406 with a hint")
    func httpNotAcceptable() async throws {
        let response = try await respond(PAGIApps.sseTicker(clock: TestClock()), makeScope())
        #expect(response.status == 406)
        #expect(response.text.contains("Accept: text/event-stream"))
        #expect(response.header("content-length") == String(response.body.count))
    }

    @Test("websocket and lifespan scopes are refused", arguments: [PAGIScopeType.websocket, .lifespan])
    func refusesOtherScopes(type: PAGIScopeType) async {
        let scope = type == .lifespan ? PAGIScope.lifespan(LifespanScope()) : makeScope(.websocket, path: "/")
        let connection = FakeConnection(scopeType: type)
        await #expect(throws: PAGIUnsupportedScopeError.self) {
            try await PAGIApps.sseTicker(clock: TestClock())(scope, connection.receive, connection.send)
        }
    }
}
