/// One parameter of an offered extension, e.g. `client_max_window_bits=10`.
public struct WebSocketExtensionParameter: Sendable, Hashable {
    /// The parameter name as sent.
    public var name: String
    /// The value (quoted-string values unquoted), or `nil` for a bare parameter.
    public var value: String?

    /// Creates a parameter.
    /// - Parameters:
    ///   - name: The parameter name.
    ///   - value: The value, or `nil`.
    public init(name: String, value: String? = nil) {
        self.name = name
        self.value = value
    }
}

/// One extension offered in `Sec-WebSocket-Extensions`, e.g. `permessage-deflate; client_max_window_bits`.
public struct WebSocketExtensionOffer: Sendable, Hashable {
    /// The extension token as sent.
    public var name: String
    /// Its parameters, in order.
    public var parameters: [WebSocketExtensionParameter]

    /// Creates an offer.
    /// - Parameters:
    ///   - name: The extension token.
    ///   - parameters: Its parameters.
    public init(name: String, parameters: [WebSocketExtensionParameter] = []) {
        self.name = name
        self.parameters = parameters
    }

    /// Parses a `Sec-WebSocket-Extensions` value ([RFC 6455 §9.1](https://www.rfc-editor.org/rfc/rfc6455#section-9.1)).
    ///
    /// `extension *(";" param)` separated by commas; params are `token [= token | quoted-string]`;
    /// whitespace around separators is allowed; empty list elements are skipped.
    ///
    /// - Parameter value: The header value (several header lines may be joined with commas).
    /// - Returns: The offers in order, or `nil` if the value is malformed.
    public static func parseList(_ value: String) -> [WebSocketExtensionOffer]? {
        var cursor = ExtensionCursor(Array(value.utf8))
        var offers: [WebSocketExtensionOffer] = []
        while true {
            cursor.skipWhitespace()
            if cursor.isAtEnd { return offers }
            if cursor.take(UInt8(ascii: ",")) { continue }
            guard let name = cursor.token() else { return nil }
            var offer = WebSocketExtensionOffer(name: name)
            cursor.skipWhitespace()
            while cursor.take(UInt8(ascii: ";")) {
                cursor.skipWhitespace()
                guard let parameterName = cursor.token() else { return nil }
                cursor.skipWhitespace()
                var parameterValue: String?
                if cursor.take(UInt8(ascii: "=")) {
                    cursor.skipWhitespace()
                    guard let value = cursor.token() ?? cursor.quotedString() else { return nil }
                    parameterValue = value
                    cursor.skipWhitespace()
                }
                offer.parameters.append(WebSocketExtensionParameter(name: parameterName, value: parameterValue))
            }
            offers.append(offer)
            cursor.skipWhitespace()
            if cursor.isAtEnd { return offers }
            guard cursor.take(UInt8(ascii: ",")) else { return nil }
        }
    }
}

/// A byte cursor over a header value for the RFC 7230 token / quoted-string grammar.
struct ExtensionCursor {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { self.index == self.bytes.count }

    mutating func skipWhitespace() {
        while self.index < self.bytes.count && (self.bytes[self.index] == 0x20 || self.bytes[self.index] == 0x09) { self.index += 1 }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard self.index < self.bytes.count && self.bytes[self.index] == byte else { return false }
        self.index += 1
        return true
    }

    mutating func token() -> String? {
        let start = self.index
        while self.index < self.bytes.count && Self.isTokenCharacter(self.bytes[self.index]) { self.index += 1 }
        guard self.index > start else { return nil }
        return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
    }

    /// A quoted-string whose unescaped content must itself be a token (RFC 6455 §9.1).
    mutating func quotedString() -> String? {
        guard self.take(UInt8(ascii: "\"")) else { return nil }
        var content: [UInt8] = []
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard !content.isEmpty, content.allSatisfy(Self.isTokenCharacter) else { return nil }
                return String(decoding: content, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard self.index < self.bytes.count else { return nil }
                content.append(self.bytes[self.index])
                self.index += 1
            default:
                content.append(byte)
            }
        }
        return nil
    }

    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
            UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
