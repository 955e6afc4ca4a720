extension PAGIOutboundEvent {
    /// Checks the event against the protocol's rules for a scope type (protocol §12).
    ///
    /// It checks that the scope type accepts the event and that any extension it needs is
    /// advertised, then the event's fields: status range, header byte safety, SSE field contents,
    /// WebSocket close codes and subprotocol tokens, file ranges, keep-alive intervals. Ordering
    /// rules (a body before its start, …) belong to the server's per-scope send state machine.
    ///
    /// - Parameters:
    ///   - scope: The type of the scope the event is sent on.
    ///   - extensions: The extensions advertised on that scope.
    /// - Throws: ``PAGIEventError`` describing the first rule the event breaks.
    public func validate(for scope: PAGIScopeType, extensions: PAGIExtensions) throws(PAGIEventError) {
        guard self.belongs(to: scope) else {
            throw .unrecognized(self.type, scope: scope)
        }
        switch self {
        case .httpResponseStart(let status, let headers, _):
            try Self.validateStatus(status, for: self.type)
            try headers.validateForEmission(context: self.type)
        case .httpResponseBody(let body, _):
            try body.validate(for: self.type)
        case .httpResponseTrailers(let headers):
            try headers.validateForEmission(context: self.type)
        case .httpFullFlush:
            guard extensions.contains(PAGIExtensions.fullFlush) else {
                throw .extensionNotEnabled(PAGIExtensions.fullFlush, eventType: self.type)
            }
        case .websocketAccept(let subprotocol, let headers):
            if let subprotocol, !Self.isSubprotocolToken(subprotocol) {
                throw PAGIEventError(
                    code: .invalidField,
                    eventType: self.type,
                    message: "Invalid subprotocol: '\(subprotocol)' (allowed characters: A-Z a-z 0-9 _ . -)"
                )
            }
            try headers.validateForEmission(context: self.type)
        case .websocketSend:
            break
        case .websocketKeepalive(let interval, let timeout):
            try Self.validateInterval(interval, field: "interval", for: self.type)
            if let timeout {
                guard timeout.isFinite, timeout > 0 else {
                    throw .invalidField(self.type, "timeout", "must be a positive number of seconds, got \(timeout)")
                }
            }
        case .websocketClose(let code, let reason):
            guard Self.isSendableCloseCode(code) else {
                throw .invalidField(
                    self.type, "code",
                    "must be 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4), got \(code)"
                )
            }
            guard reason.utf8.count <= 123 else {
                throw .invalidField(self.type, "reason", "must be at most 123 bytes of UTF-8, got \(reason.utf8.count)")
            }
        case .websocketHTTPResponseStart(let status, let headers):
            guard extensions.contains(PAGIExtensions.webSocketHTTPResponse) else {
                throw .extensionNotEnabled(PAGIExtensions.webSocketHTTPResponse, eventType: self.type)
            }
            try Self.validateStatus(status, for: self.type)
            try headers.validateForEmission(context: self.type)
        case .websocketHTTPResponseBody:
            guard extensions.contains(PAGIExtensions.webSocketHTTPResponse) else {
                throw .extensionNotEnabled(PAGIExtensions.webSocketHTTPResponse, eventType: self.type)
            }
        case .sseStart(let status, let headers):
            try Self.validateStatus(status, for: self.type)
            try headers.validateForEmission(context: self.type)
        case .sseSend(let message):
            try message.validate(for: self.type)
        case .sseComment:
            break
        case .sseKeepalive(let interval, _):
            try Self.validateInterval(interval, field: "interval", for: self.type)
        case .sseClose:
            break
        case .sseHTTPResponseStart(let status, let headers):
            try Self.validateStatus(status, for: self.type)
            try headers.validateForEmission(context: self.type)
        case .sseHTTPResponseBody:
            break
        case .lifespanStartupComplete, .lifespanStartupFailed, .lifespanShutdownComplete, .lifespanShutdownFailed:
            break
        case .custom:
            // `belongs(to:)` never accepts custom events; a server that implements one handles it
            // before calling `validate`.
            throw .unrecognized(self.type, scope: scope)
        }
    }

    /// Whether the scope type accepts this event type at all.
    /// - Parameter scope: The scope type.
    public func belongs(to scope: PAGIScopeType) -> Bool {
        switch self {
        case .httpResponseStart, .httpResponseBody, .httpResponseTrailers:
            scope == .http
        case .httpFullFlush:
            scope == .http || scope == .sse
        case .websocketAccept, .websocketSend, .websocketKeepalive, .websocketClose,
            .websocketHTTPResponseStart, .websocketHTTPResponseBody:
            scope == .websocket
        case .sseStart, .sseSend, .sseComment, .sseKeepalive, .sseClose, .sseHTTPResponseStart, .sseHTTPResponseBody:
            scope == .sse
        case .lifespanStartupComplete, .lifespanStartupFailed, .lifespanShutdownComplete, .lifespanShutdownFailed:
            scope == .lifespan
        case .custom:
            false
        }
    }

    /// Final response statuses: RFC 9110 §15 defines 100…599, and a 1xx cannot end a response.
    static func validateStatus(_ status: Int, for eventType: String) throws(PAGIEventError) {
        guard (200...599).contains(status) else {
            throw .invalidField(eventType, "status", "must be a final HTTP status between 200 and 599, got \(status)")
        }
    }

    static func validateInterval(_ interval: Double, field: String, for eventType: String) throws(PAGIEventError) {
        guard interval.isFinite, interval >= 0 else {
            throw .invalidField(eventType, field, "must be a non-negative number of seconds (0 disables), got \(interval)")
        }
    }

    /// Codes an endpoint may put in a Close frame: RFC 6455 §7.4 and the IANA registry.
    /// 1004-1006 and 1015 are reserved for reporting and must never be sent.
    public static func isSendableCloseCode(_ code: Int) -> Bool {
        switch code {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    static func isSubprotocolToken(_ value: String) -> Bool {
        !value.isEmpty
            && value.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                    true
                default:
                    false
                }
            }
    }
}

extension PAGIResponseBody {
    func validate(for eventType: String) throws(PAGIEventError) {
        switch self {
        case .bytes:
            return
        case .file(let path, let offset, let length):
            guard path.hasPrefix("/") else {
                throw .invalidField(eventType, "file", "must be an absolute path, got '\(path)'")
            }
            try Self.validateRange(offset: offset, length: length, eventType: eventType)
        case .fileDescriptor(let descriptor, let offset, let length):
            guard descriptor >= 0 else {
                throw .invalidField(eventType, "fh", "must be an open descriptor, got \(descriptor)")
            }
            try Self.validateRange(offset: offset, length: length, eventType: eventType)
        }
    }

    private static func validateRange(offset: Int64, length: Int64?, eventType: String) throws(PAGIEventError) {
        guard offset >= 0 else {
            throw .invalidField(eventType, "offset", "must be a non-negative integer, got \(offset)")
        }
        if let length, length < 0 {
            throw .invalidField(eventType, "length", "must be a non-negative integer, got \(length)")
        }
    }
}

extension PAGISSEMessage {
    func validate(for eventType: String) throws(PAGIEventError) {
        if let event = self.event, event.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
            throw .invalidField(eventType, "event", "must not contain CR or LF")
        }
        if let id = self.id, id.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x00 }) {
            throw .invalidField(eventType, "id", "must not contain CR, LF or NUL")
        }
        if let retry = self.retry, retry < 0 {
            throw .invalidField(eventType, "retry", "must be a non-negative integer (milliseconds), got \(retry)")
        }
    }
}

extension PAGIHeaders {
    /// Checks that every field can be written on the wire without changing its meaning.
    ///
    /// Names must be RFC 9110 tokens (which rules out CR, LF, NUL, every other control
    /// character, spaces and colons); values must not contain CR, LF or NUL (protocol §5.3).
    /// Nothing is stripped or rewritten: an unsafe field fails the `send`.
    /// - Parameter context: The event type, for the error message.
    /// - Throws: ``PAGIEventError`` naming the first unsafe field.
    public func validateForEmission(context: String) throws(PAGIEventError) {
        for (position, field) in self.enumerated() {
            guard !field.nameBytes.isEmpty, field.nameBytes.allSatisfy(Self.isTokenByte) else {
                throw PAGIEventError(
                    code: .invalidHeader,
                    eventType: context,
                    message: "\(context) header #\(position + 1) has an invalid name \(Self.quoted(field.nameBytes)): names must be non-empty tokens (letters, digits, !#$%&'*+-.^_`|~)"
                )
            }
            if let bad = field.valueBytes.first(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) {
                throw PAGIEventError(
                    code: .invalidHeader,
                    eventType: context,
                    message: "\(context) header '\(field.name)' has a value containing \(Self.byteName(bad)); CR, LF and NUL are refused to prevent header injection"
                )
            }
        }
    }

    /// RFC 9110 §5.6.2 `tchar`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
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

    private static func byteName(_ byte: UInt8) -> String {
        switch byte {
        case 0x0D: "CR (\\r)"
        case 0x0A: "LF (\\n)"
        default: "NUL (\\0)"
        }
    }

    private static func quoted(_ bytes: ArraySlice<UInt8>) -> String {
        var text = "'"
        for byte in bytes {
            if byte >= 0x20 && byte < 0x7F {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                text += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return text + "'"
    }
}
