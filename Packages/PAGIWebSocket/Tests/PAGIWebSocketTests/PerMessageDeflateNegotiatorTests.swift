import Testing
import PAGIWebSocket

private func negotiate(_ header: String, _ configuration: PerMessageDeflateConfiguration = PerMessageDeflateConfiguration()) -> String? {
    guard let offers = WebSocketExtensionOffer.parseList(header) else { return "malformed" }
    return PerMessageDeflateNegotiator.negotiate(offers: offers, configuration: configuration)?.responseHeaderValue
}

@Suite("PerMessageDeflateNegotiator")
struct PerMessageDeflateNegotiatorTests {
    @Test("a bare offer is accepted as is")
    func bare() {
        #expect(negotiate("permessage-deflate") == "permessage-deflate")
        #expect(negotiate("x-other") == nil)
    }

    @Test("no-context-takeover parameters are echoed; the server may add its own")
    func takeover() {
        #expect(negotiate("permessage-deflate; server_no_context_takeover; client_no_context_takeover")
            == "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
        let strict = PerMessageDeflateConfiguration(serverNoContextTakeover: true, clientNoContextTakeover: true)
        #expect(negotiate("permessage-deflate", strict) == "permessage-deflate; server_no_context_takeover; client_no_context_takeover")
    }

    @Test("window bits: the server honours the client's server limit and may state its own")
    func windowBits() {
        #expect(negotiate("permessage-deflate; server_max_window_bits=10") == "permessage-deflate; server_max_window_bits=10")
        #expect(negotiate("permessage-deflate", PerMessageDeflateConfiguration(serverMaxWindowBits: 12)) == "permessage-deflate; server_max_window_bits=12")
        #expect(negotiate("permessage-deflate; server_max_window_bits=14", PerMessageDeflateConfiguration(serverMaxWindowBits: 12))
            == "permessage-deflate; server_max_window_bits=12")
        #expect(negotiate("permessage-deflate; client_max_window_bits") == "permessage-deflate")
        #expect(negotiate("permessage-deflate; client_max_window_bits", PerMessageDeflateConfiguration(clientMaxWindowBits: 10))
            == "permessage-deflate; client_max_window_bits=10")
        #expect(negotiate("permessage-deflate; client_max_window_bits=9") == "permessage-deflate; client_max_window_bits=9")
        // Without the client's client_max_window_bits the server must not send it.
        #expect(negotiate("permessage-deflate", PerMessageDeflateConfiguration(clientMaxWindowBits: 10)) == "permessage-deflate")
    }

    @Test("invalid offers are declined and the next offer is tried")
    func fallback() {
        #expect(negotiate("permessage-deflate; server_max_window_bits=8, permessage-deflate") == "permessage-deflate")
        #expect(negotiate("permessage-deflate; unknown=1, permessage-deflate; client_no_context_takeover")
            == "permessage-deflate; client_no_context_takeover")
        for bad in [
            "server_max_window_bits", "server_max_window_bits=7", "server_max_window_bits=16", "server_max_window_bits=010",
            "client_max_window_bits=abc", "server_no_context_takeover=1", "client_no_context_takeover; client_no_context_takeover",
        ] {
            #expect(negotiate("permessage-deflate; \(bad)") == nil, "\(bad)")
        }
    }
}
