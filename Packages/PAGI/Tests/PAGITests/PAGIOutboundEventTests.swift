import NIOCore
import PAGI
import Testing

@Suite("PAGIOutboundEvent")
struct PAGIOutboundEventTests {
    static let noExtensions = PAGIExtensions()
    static let allExtensions = PAGIExtensions([PAGIExtensions.fullFlush: [:], PAGIExtensions.webSocketHTTPResponse: [:]])

    /// Every event the protocol defines, with the type string and the scope that accepts it.
    static let catalogue: [(PAGIOutboundEvent, String, Set<PAGIScopeType>)] = [
        (.httpResponseStart(status: 200), "http.response.start", [.http]),
        (.httpResponseBody(.text("x"), more: true), "http.response.body", [.http]),
        (.httpResponseTrailers(headers: [("x-checksum", "1")]), "http.response.trailers", [.http]),
        (.httpFullFlush, "http.fullflush", [.http, .sse]),
        (.websocketAccept(subprotocol: "chat"), "websocket.accept", [.websocket]),
        (.websocketSend(.text("hi")), "websocket.send", [.websocket]),
        (.websocketKeepalive(interval: 30, timeout: 10), "websocket.keepalive", [.websocket]),
        (.websocketClose(), "websocket.close", [.websocket]),
        (.websocketHTTPResponseStart(status: 401), "websocket.http.response.start", [.websocket]),
        (.websocketHTTPResponseBody(ByteBuffer(string: "no")), "websocket.http.response.body", [.websocket]),
        (.sseStart(), "sse.start", [.sse]),
        (.sseSend(PAGISSEMessage(data: "d")), "sse.send", [.sse]),
        (.sseComment("c"), "sse.comment", [.sse]),
        (.sseKeepalive(interval: 15), "sse.keepalive", [.sse]),
        (.sseClose(reason: "done"), "sse.close", [.sse]),
        (.sseHTTPResponseStart(status: 204), "sse.http.response.start", [.sse]),
        (.sseHTTPResponseBody(ByteBuffer()), "sse.http.response.body", [.sse]),
        (.lifespanStartupComplete, "lifespan.startup.complete", [.lifespan]),
        (.lifespanStartupFailed(message: "db down"), "lifespan.startup.failed", [.lifespan]),
        (.lifespanShutdownComplete, "lifespan.shutdown.complete", [.lifespan]),
        (.lifespanShutdownFailed(), "lifespan.shutdown.failed", [.lifespan]),
    ]

    @Test("every event has its protocol type string and is valid on exactly its scopes")
    func catalogueMembership() throws {
        for (event, type, scopes) in Self.catalogue {
            #expect(event.type == type)
            for scope in PAGIScopeType.allCases {
                #expect(event.belongs(to: scope) == scopes.contains(scope), "\(type) on \(scope)")
                if scopes.contains(scope) {
                    try event.validate(for: scope, extensions: Self.allExtensions)
                } else {
                    let error = try #require(throws: PAGIEventError.self) {
                        try event.validate(for: scope, extensions: Self.allExtensions)
                    }
                    #expect(error.code == .unrecognizedEventType)
                    #expect(error.message == "Unrecognized event type '\(type)' for \(scope.rawValue) protocol")
                }
            }
        }
    }

    @Test("defaults match the protocol")
    func defaults() {
        #expect(PAGIOutboundEvent.httpResponseStart(status: 200) == .httpResponseStart(status: 200, headers: [], trailers: false))
        #expect(PAGIOutboundEvent.httpResponseBody(.empty) == .httpResponseBody(.bytes(ByteBuffer()), more: false))
        #expect(PAGIOutboundEvent.websocketClose() == .websocketClose(code: 1000, reason: ""))
        #expect(PAGIOutboundEvent.sseStart() == .sseStart(status: 200, headers: []))
        #expect(PAGIOutboundEvent.sseKeepalive(interval: 1) == .sseKeepalive(interval: 1, comment: ""))
        #expect(PAGIOutboundEvent.lifespanStartupFailed() == .lifespanStartupFailed(message: ""))
        #expect(PAGIResponseBody.file(path: "/f") == .file(path: "/f", offset: 0, length: nil))
    }

    @Test("extension events need their extension advertised")
    func extensionsRequired() throws {
        let cases: [(PAGIOutboundEvent, PAGIScopeType, String)] = [
            (.httpFullFlush, .http, "fullflush"),
            (.httpFullFlush, .sse, "fullflush"),
            (.websocketHTTPResponseStart(status: 403), .websocket, "websocket.http.response"),
            (.websocketHTTPResponseBody(ByteBuffer()), .websocket, "websocket.http.response"),
        ]
        for (event, scope, name) in cases {
            let error = try #require(throws: PAGIEventError.self) { try event.validate(for: scope, extensions: Self.noExtensions) }
            #expect(error.code == .extensionNotEnabled)
            #expect(error.message == "Extension not enabled: \(name)")
        }
    }

    @Test("custom events are unrecognized by the standard validator")
    func customEvents() throws {
        let event = PAGIOutboundEvent.custom(PAGICustomEvent(type: "myproto.message", fields: ["n": .int(1)]))
        #expect(event.type == "myproto.message")
        for scope in PAGIScopeType.allCases {
            #expect(!event.belongs(to: scope))
            #expect(throws: PAGIEventError.self) { try event.validate(for: scope, extensions: Self.allExtensions) }
        }
    }

    @Test("statuses must be final HTTP statuses 200...599", arguments: [99, 100, 101, 199, 600, 1000, -1])
    func statusRangeRejected(status: Int) throws {
        let events: [(PAGIOutboundEvent, PAGIScopeType)] = [
            (.httpResponseStart(status: status), .http),
            (.sseStart(status: status), .sse),
            (.sseHTTPResponseStart(status: status), .sse),
            (.websocketHTTPResponseStart(status: status), .websocket),
        ]
        for (event, scope) in events {
            let error = try #require(throws: PAGIEventError.self) { try event.validate(for: scope, extensions: Self.allExtensions) }
            #expect(error.code == .invalidField)
            #expect(error.message.contains("'status'"))
            #expect(error.message.contains("\(status)"))
        }
    }

    @Test("statuses at the edges of the range pass", arguments: [200, 204, 304, 599])
    func statusRangeAccepted(status: Int) throws {
        try PAGIOutboundEvent.httpResponseStart(status: status).validate(for: .http, extensions: Self.noExtensions)
    }

    @Test("headers are checked on every event that emits them")
    func headersChecked() throws {
        let bad: PAGIHeaders = [("x", "a\r\nb")]
        let events: [(PAGIOutboundEvent, PAGIScopeType)] = [
            (.httpResponseStart(status: 200, headers: bad), .http),
            (.httpResponseTrailers(headers: bad), .http),
            (.websocketAccept(headers: bad), .websocket),
            (.websocketHTTPResponseStart(status: 403, headers: bad), .websocket),
            (.sseStart(headers: bad), .sse),
            (.sseHTTPResponseStart(status: 204, headers: bad), .sse),
        ]
        for (event, scope) in events {
            let error = try #require(throws: PAGIEventError.self) { try event.validate(for: scope, extensions: Self.allExtensions) }
            #expect(error.code == .invalidHeader)
            #expect(error.eventType == event.type)
        }
    }

    @Test("file and descriptor bodies need absolute paths and non-negative ranges")
    func bodyRanges() throws {
        let valid: [PAGIResponseBody] = [
            .file(path: "/srv/a", offset: 0, length: 0), .file(path: "/srv/a", offset: 10, length: nil), .fileDescriptor(3, offset: 0, length: 5),
        ]
        for body in valid {
            try PAGIOutboundEvent.httpResponseBody(body).validate(for: .http, extensions: Self.noExtensions)
        }
        let invalid: [(PAGIResponseBody, String)] = [
            (.file(path: "relative.txt"), "'file'"),
            (.file(path: "/a", offset: -1), "'offset'"),
            (.file(path: "/a", length: -1), "'length'"),
            (.fileDescriptor(-1), "'fh'"),
            (.fileDescriptor(3, offset: -5), "'offset'"),
        ]
        for (body, field) in invalid {
            let error = try #require(throws: PAGIEventError.self) {
                try PAGIOutboundEvent.httpResponseBody(body).validate(for: .http, extensions: Self.noExtensions)
            }
            #expect(error.message.contains(field), "\(error.message)")
        }
    }

    @Test("WebSocket close codes follow RFC 6455 §7.4")
    func closeCodes() throws {
        for code in [1000, 1001, 1002, 1003, 1007, 1010, 1014, 3000, 4999] {
            try PAGIOutboundEvent.websocketClose(code: code).validate(for: .websocket, extensions: Self.noExtensions)
        }
        for code in [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000] {
            let error = try #require(throws: PAGIEventError.self) {
                try PAGIOutboundEvent.websocketClose(code: code).validate(for: .websocket, extensions: Self.noExtensions)
            }
            #expect(error.message.contains("'code'"))
        }
        try PAGIOutboundEvent.websocketClose(reason: String(repeating: "r", count: 123)).validate(for: .websocket, extensions: Self.noExtensions)
        #expect(throws: PAGIEventError.self) {
            try PAGIOutboundEvent.websocketClose(reason: String(repeating: "r", count: 124)).validate(for: .websocket, extensions: Self.noExtensions)
        }
    }

    @Test("subprotocols must be tokens of [A-Za-z0-9_.-]")
    func subprotocols() throws {
        try PAGIOutboundEvent.websocketAccept(subprotocol: "graphql-ws.v1_2").validate(for: .websocket, extensions: Self.noExtensions)
        for bad in ["", "chat, evil", "a b", "x\r\n"] {
            let error = try #require(throws: PAGIEventError.self) {
                try PAGIOutboundEvent.websocketAccept(subprotocol: bad).validate(for: .websocket, extensions: Self.noExtensions)
            }
            #expect(error.message.hasPrefix("Invalid subprotocol"))
        }
    }

    @Test("keep-alive intervals must be finite and non-negative; timeouts positive")
    func intervals() throws {
        try PAGIOutboundEvent.websocketKeepalive(interval: 0).validate(for: .websocket, extensions: Self.noExtensions)
        try PAGIOutboundEvent.sseKeepalive(interval: 0.5).validate(for: .sse, extensions: Self.noExtensions)
        let invalid: [(PAGIOutboundEvent, PAGIScopeType)] = [
            (.websocketKeepalive(interval: -1), .websocket),
            (.websocketKeepalive(interval: .nan), .websocket),
            (.websocketKeepalive(interval: .infinity), .websocket),
            (.websocketKeepalive(interval: 10, timeout: 0), .websocket),
            (.websocketKeepalive(interval: 10, timeout: .nan), .websocket),
            (.sseKeepalive(interval: -0.1), .sse),
        ]
        for (event, scope) in invalid {
            #expect(throws: PAGIEventError.self) { try event.validate(for: scope, extensions: Self.noExtensions) }
        }
    }

    @Test("SSE fields: event and id without line breaks, retry non-negative")
    func sseFields() throws {
        try PAGIOutboundEvent.sseSend(PAGISSEMessage(data: "a\nb\r\nc", event: "tick", id: "42", retry: 0))
            .validate(for: .sse, extensions: Self.noExtensions)
        let invalid: [(PAGISSEMessage, String)] = [
            (PAGISSEMessage(data: "", event: "a\nb"), "'event'"),
            (PAGISSEMessage(data: "", event: "a\rb"), "'event'"),
            (PAGISSEMessage(data: "", id: "1\n2"), "'id'"),
            (PAGISSEMessage(data: "", id: "1\u{0}2"), "'id'"),
            (PAGISSEMessage(data: "", retry: -1), "'retry'"),
        ]
        for (message, field) in invalid {
            let error = try #require(throws: PAGIEventError.self) {
                try PAGIOutboundEvent.sseSend(message).validate(for: .sse, extensions: Self.noExtensions)
            }
            #expect(error.message.contains(field))
        }
    }
}
