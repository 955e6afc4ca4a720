import Testing
import PAGIWebSocket

@Suite("WebSocketExtensionOffer")
struct WebSocketExtensionOfferTests {
    @Test("parses names, bare and valued parameters, quoted strings, and several offers")
    func parse() {
        let offers = WebSocketExtensionOffer.parseList(
            "permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\" , permessage-deflate,x-y;a=b")
        #expect(
            offers == [
                WebSocketExtensionOffer(
                    name: "permessage-deflate",
                    parameters: [
                        WebSocketExtensionParameter(name: "client_max_window_bits"),
                        WebSocketExtensionParameter(name: "server_max_window_bits", value: "10"),
                    ]),
                WebSocketExtensionOffer(name: "permessage-deflate"),
                WebSocketExtensionOffer(name: "x-y", parameters: [WebSocketExtensionParameter(name: "a", value: "b")]),
            ])
        #expect(WebSocketExtensionOffer.parseList("") == [])
        #expect(WebSocketExtensionOffer.parseList(" , ") == [])
    }

    @Test("rejects malformed values", arguments: ["a;", "a; =1", "a; b=", "a b", "a; b=\"\"", "a; b=\"x y\"", "a; b=\"unterminated", "@"])
    func malformed(value: String) {
        #expect(WebSocketExtensionOffer.parseList(value) == nil)
    }
}
