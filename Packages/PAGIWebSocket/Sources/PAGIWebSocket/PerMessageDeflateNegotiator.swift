/// Picks the first acceptable permessage-deflate offer and builds the reply
/// ([RFC 7692 §5 and §7.1](https://www.rfc-editor.org/rfc/rfc7692#section-7.1)).
///
/// Offers are tried in the client's order of preference. An offer is declined (and the next one
/// tried) when it carries an unknown parameter, a parameter twice, a value out of range, or
/// `server_max_window_bits=8` (zlib's raw deflate cannot compress with a 256-byte window). When no
/// offer is acceptable the handshake proceeds without compression.
public enum PerMessageDeflateNegotiator {
    /// The extension token.
    public static let extensionName = "permessage-deflate"

    /// Negotiates permessage-deflate.
    /// - Parameters:
    ///   - offers: The parsed `Sec-WebSocket-Extensions` offers, in order.
    ///   - configuration: What the server accepts.
    /// - Returns: The agreed parameters, or `nil` to run without compression.
    public static func negotiate(
        offers: [WebSocketExtensionOffer],
        configuration: PerMessageDeflateConfiguration
    ) -> PerMessageDeflateParameters? {
        for offer in offers where offer.name.lowercased() == extensionName {
            if let agreed = self.accept(offer, configuration: configuration) { return agreed }
        }
        return nil
    }

    private static func accept(
        _ offer: WebSocketExtensionOffer,
        configuration: PerMessageDeflateConfiguration
    ) -> PerMessageDeflateParameters? {
        var serverNoContextTakeover = false
        var clientNoContextTakeover = false
        var serverMaxWindowBits: Int?
        var clientMaxWindowBits: Int??  // .some(nil): offered without a value
        var seen = Set<String>()
        for parameter in offer.parameters {
            let name = parameter.name.lowercased()
            guard seen.insert(name).inserted else { return nil }
            switch name {
            case "server_no_context_takeover":
                guard parameter.value == nil else { return nil }
                serverNoContextTakeover = true
            case "client_no_context_takeover":
                guard parameter.value == nil else { return nil }
                clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let bits = parameter.value.flatMap(self.windowBits) else { return nil }
                serverMaxWindowBits = bits
            case "client_max_window_bits":
                if let value = parameter.value {
                    guard let bits = self.windowBits(value) else { return nil }
                    clientMaxWindowBits = .some(bits)
                } else {
                    clientMaxWindowBits = .some(nil)
                }
            default:
                return nil
            }
        }
        var agreed = PerMessageDeflateParameters()
        agreed.serverNoContextTakeover = serverNoContextTakeover || configuration.serverNoContextTakeover
        agreed.clientNoContextTakeover = clientNoContextTakeover || configuration.clientNoContextTakeover
        if let requested = serverMaxWindowBits {
            guard requested >= 9 else { return nil }
            agreed.serverMaxWindowBits = min(requested, configuration.serverMaxWindowBits)
        } else if configuration.serverMaxWindowBits < 15 {
            agreed.serverMaxWindowBits = configuration.serverMaxWindowBits
        }
        // client_max_window_bits may only appear in the reply when the client offered it.
        if let offered = clientMaxWindowBits {
            let limit = offered ?? 15
            if configuration.clientMaxWindowBits < limit || offered != nil {
                agreed.clientMaxWindowBits = min(limit, configuration.clientMaxWindowBits)
            }
        }
        return agreed
    }

    /// Parses a window-bits value: 1–2 decimal digits, 8–15, no leading zero.
    private static func windowBits(_ text: String) -> Int? {
        guard let first = text.utf8.first, first != UInt8(ascii: "0"), text.utf8.count <= 2,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text), (8...15).contains(value)
        else { return nil }
        return value
    }
}
