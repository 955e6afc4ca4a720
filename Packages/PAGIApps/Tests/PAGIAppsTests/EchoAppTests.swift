import NIOCore
import PAGI
import Testing

@testable import PAGIApps

@Suite struct EchoAppTests {
    @Test func contractByteForByte() async throws {
        let scope = makeScope(
            method: "POST",
            rawPath: "/a%20b/c%2Fd",
            query: "x=1&y=%20",
            headers: [("Host", "localhost:5000"), ("Content-Length", "3"), ("X-Dup", "one"), ("x-dup", "two")]
        )
        let response = try await respond(PAGIApps.echo, scope, inbound: [.httpRequest(body: ByteBuffer(string: "abc"), more: false)])
        let expected =
            #"{"method":"POST","path":"/a b/c/d","raw_path":"/a%20b/c%2Fd","query_string":"x=1&y=%20","http_version":"1.1","#
            + #""headers":[["host","localhost:5000"],["content-length","3"],["x-dup","one"],["x-dup","two"]],"#
            + #""body_length":3,"body_sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}"#
        #expect(response.status == 200)
        #expect(response.text == expected)
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("content-length") == String(expected.utf8.count))
        #expect(response.headers.count == 2)
    }

    @Test func emptyBodyAndHTTP10() async throws {
        let response = try await respond(PAGIApps.echo, makeScope(method: "GET", rawPath: "/", version: .http1_0))
        #expect(
            response.text
                == #"{"method":"GET","path":"/","raw_path":"/","query_string":"","http_version":"1.0","headers":[],"body_length":0,"body_sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}"#
        )
    }

    /// The digest and length cover every fragment, whatever the fragmentation (including empty ones).
    @Test(arguments: [1, 2, 7, 64, 1000])
    func bodyInFragments(_ fragmentSize: Int) async throws {
        let body = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 13) }
        var events: [PAGIInboundEvent] = [.httpRequest(body: ByteBuffer(), more: true)]
        var offset = 0
        while offset < body.count {
            let end = min(offset + fragmentSize, body.count)
            events.append(.httpRequest(body: ByteBuffer(bytes: body[offset..<end]), more: end < body.count))
            offset = end
        }
        let response = try await respond(PAGIApps.echo, makeScope(method: "PUT"), inbound: events)
        #expect(response.text.contains(#""body_length":1000,"#))
        #expect(response.text.hasSuffix(#""body_sha256":"\#(SHA256.hex(SHA256.hash(body)))"}"#))
    }

    @Test func bytesThatAreNotUTF8AreShownOnePerCharacter() async throws {
        var headers = PAGIHeaders()
        headers.add(nameBytes: Array("x-raw".utf8), valueBytes: [0x41, 0xFF, 0x22, 0x09])
        let scope = makeScope(method: "GET", rawPathBytes: Array("/caf%E9/\u{E9}".utf8), query: [0x61, 0xE9], headers: headers)
        let response = try await respond(PAGIApps.echo, scope)
        // `path`: %E9 decodes to a lone 0xE9 next to a UTF-8 é — not UTF-8 as a whole, so every byte maps to one character.
        #expect(response.text.contains(#""path":"/caf\#u{E9}/\#u{C3}\#u{A9}""#))
        #expect(response.text.contains(#""raw_path":"/caf%E9/\#u{E9}""#))
        #expect(response.text.contains(#""query_string":"a\#u{E9}""#))
        #expect(response.text.contains(#"["x-raw","A\#u{FF}\"\t"]"#))
        #expect(String(validating: response.body, as: UTF8.self) != nil)
    }

    @Test func disconnectBeforeTheBodyEndsSendsNothing() async throws {
        let connection = FakeConnection(inbound: [.httpRequest(body: ByteBuffer(string: "ab"), more: true), .httpDisconnect])
        try await PAGIApps.echo(makeScope(method: "POST"), connection.receive, connection.send)
        #expect(connection.sent.isEmpty)
    }

    @Test func declinesOtherScopes() async throws {
        let connection = FakeConnection()
        await #expect(throws: PAGIUnsupportedScopeError.self) {
            try await PAGIApps.echo(.lifespan(LifespanScope()), connection.receive, connection.send)
        }
    }
}
