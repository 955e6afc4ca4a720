import Testing
import PAGIWebSocket

@Suite("WebSocketHandshake")
struct WebSocketHandshakeTests {
    private let good: [(name: String, value: String)] = [
        (name: "Host", value: "example.com"),
        (name: "upgrade", value: "WebSocket"),
        (name: "CONNECTION", value: "keep-alive, Upgrade"),
        (name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ=="),
        (name: "Sec-WebSocket-Version", value: "13"),
    ]

    private func replacing(_ name: String, with value: String?) -> [(name: String, value: String)] {
        var headers = self.good.filter { $0.name.lowercased() != name.lowercased() }
        if let value { headers.append((name: name, value: value)) }
        return headers
    }

    private func failure(_ result: Result<WebSocketHandshakeOffer, WebSocketHandshakeError>) -> WebSocketHandshakeError? {
        if case .failure(let error) = result { return error }
        return nil
    }

    @Test("RFC 6455 §1.3 accept example")
    func acceptValue() {
        #expect(WebSocketHandshake.acceptValue(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test("a valid request yields the offer and the 101 headers")
    func valid() throws {
        let offer = try WebSocketHandshake.validate(method: "GET", httpVersion: "1.1", headers: self.good).get()
        #expect(offer.key == "dGhlIHNhbXBsZSBub25jZQ==")
        #expect(offer.acceptValue == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let headers = offer.responseHeaders(subprotocol: "chat", deflate: PerMessageDeflateParameters(serverNoContextTakeover: true))
        #expect(headers.map(\.name) == ["Upgrade", "Connection", "Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions"])
        #expect(headers.map(\.value) == ["websocket", "Upgrade", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "chat", "permessage-deflate; server_no_context_takeover"])
    }

    @Test("subprotocols and extensions are parsed across repeated headers")
    func offers() throws {
        var headers = self.good
        headers.append((name: "Sec-WebSocket-Protocol", value: "chat, superchat"))
        headers.append((name: "sec-websocket-protocol", value: " v2.json "))
        headers.append((name: "Sec-WebSocket-Extensions", value: "permessage-deflate; client_max_window_bits, x-foo"))
        let offer = try WebSocketHandshake.validate(method: "GET", httpVersion: "1.1", headers: headers).get()
        #expect(offer.subprotocols == ["chat", "superchat", "v2.json"])
        #expect(offer.extensions.map(\.name) == ["permessage-deflate", "x-foo"])
    }

    @Test("wrong or missing version → 426 with Sec-WebSocket-Version: 13", arguments: ["8", "14", "", nil] as [String?])
    func version(value: String?) {
        let error = failure(WebSocketHandshake.validate(method: "GET", httpVersion: "1.1", headers: replacing("Sec-WebSocket-Version", with: value)))
        #expect(error?.status == 426)
        #expect(error?.responseHeaders.map(\.name) == ["Sec-WebSocket-Version"])
        #expect(error?.responseHeaders.map(\.value) == ["13"])
    }

    @Test("other defects → 400 with the reason")
    func badRequests() {
        func check(method: String = "GET", version: String = "1.1", _ headers: [(name: String, value: String)], _ reason: WebSocketHandshakeError.Reason) {
            let error = failure(WebSocketHandshake.validate(method: method, httpVersion: version, headers: headers))
            #expect(error?.reason == reason)
            #expect(error?.status == 400)
            #expect(error?.responseHeaders.isEmpty == true)
        }
        check(method: "POST", good, .methodNotGET("POST"))
        check(version: "1.0", good, .unsupportedHTTPVersion("1.0"))
        check(replacing("Upgrade", with: "h2c"), .missingUpgradeWebSocket)
        check(replacing("Upgrade", with: nil), .missingUpgradeWebSocket)
        check(replacing("Connection", with: "keep-alive"), .missingConnectionUpgrade)
        check(replacing("Connection", with: "upgraded"), .missingConnectionUpgrade)
        check(replacing("Sec-WebSocket-Key", with: nil), .missingKey)
        check(good + [(name: "Sec-WebSocket-Key", value: "dGhlIHNhbXBsZSBub25jZQ==")], .duplicateKey)
        check(replacing("Sec-WebSocket-Key", with: "dGhlIHNhbXBsZQ=="), .invalidKey("dGhlIHNhbXBsZQ=="))  // 11 bytes
        check(replacing("Sec-WebSocket-Key", with: "dGhlIHNhbXBsZSBub25jZR=="), .invalidKey("dGhlIHNhbXBsZSBub25jZR=="))  // non-canonical
        check(replacing("Sec-WebSocket-Key", with: "dGhlIHNhbXBsZSBub25jZ!=="), .invalidKey("dGhlIHNhbXBsZSBub25jZ!=="))
        check(good + [(name: "Sec-WebSocket-Extensions", value: "permessage-deflate;")], .malformedExtensions("permessage-deflate;"))
    }

    @Test("upgrade detection needs Upgrade: websocket and Connection: upgrade tokens")
    func detection() {
        #expect(WebSocketHandshake.isUpgradeRequest(headers: self.good))
        #expect(!WebSocketHandshake.isUpgradeRequest(headers: replacing("Connection", with: "close")))
        #expect(!WebSocketHandshake.isUpgradeRequest(headers: replacing("Upgrade", with: "websocketx")))
    }
}
