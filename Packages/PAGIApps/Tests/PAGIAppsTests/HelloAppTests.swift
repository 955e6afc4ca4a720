import NIOCore
import PAGI
import Testing

@testable import PAGIApps

@Suite struct HelloAppTests {
    @Test func answersHelloWorldWithLength() async throws {
        let response = try await respond(PAGIApps.hello, makeScope())
        #expect(response.status == 200)
        #expect(Array(response.headers.map { [$0.name, $0.value] }) == [["content-type", "text/plain"], ["content-length", "13"]])
        #expect(response.text == "Hello, World!")
    }

    @Test(arguments: ["GET", "POST", "HEAD", "DELETE"])
    func anyMethodAndPathGetsTheSameAnswer(_ method: String) async throws {
        let response = try await respond(PAGIApps.hello, makeScope(method: method, rawPath: "/any/where", query: "x=1"))
        #expect(response.status == 200)
        #expect(response.text == "Hello, World!")
    }

    @Test func sendsExactlyTwoEventsAndReadsNothing() async throws {
        let connection = FakeConnection(inbound: [.httpRequest(body: ByteBuffer(string: "ignored"), more: false)])
        try await PAGIApps.hello(makeScope(method: "POST"), connection.receive, connection.send)
        #expect(connection.sent.count == 2)
        #expect(connection.unreadInbound == 1)
    }

    @Test func declinesOtherScopes() async throws {
        let connection = FakeConnection()
        await #expect(throws: PAGIUnsupportedScopeError.self) {
            try await PAGIApps.hello(.lifespan(LifespanScope()), connection.receive, connection.send)
        }
        #expect(connection.sent.isEmpty)
    }
}
