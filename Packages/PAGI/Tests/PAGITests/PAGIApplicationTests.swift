import NIOCore
import PAGI
import Synchronization
import Testing

/// An application written as an ordinary (`@concurrent`) async function, as a user's module may.
@concurrent
func plainFunctionApp(_ scope: PAGIScope, _ receive: @escaping PAGIReceive, _ send: @escaping PAGISend) async throws {
    _ = try await receive()
    try await send(.httpResponseStart(status: 204))
}

@Suite("PAGIApp and middleware")
struct PAGIApplicationTests {
    @Test("an ordinary async function converts to the nonisolated(nonsending) PAGIApp type and runs")
    func plainFunctionConverts() async throws {
        let app: PAGIApp = plainFunctionApp
        let sent = Mutex<[String]>([])
        try await app(
            .http(HTTPScope(request: PAGIScopeTests.request())),
            { .emptyHTTPRequest },
            { event in sent.withLock { $0.append(event.type) } }
        )
        #expect(sent.withLock { $0 } == ["http.response.start"])
    }

    @Test("middleware composes outermost first and sees its own scope copy")
    func composition() async throws {
        let log = CallLog()
        let app: PAGIApp = { scope, _, send in
            guard case .http(let http) = scope else { throw PAGIUnsupportedScopeError(scope.type) }
            log.append("app root=\(http.rootPath)")
            try await send(.httpResponseStart(status: 200))
        }
        func tag(_ name: String) -> PAGIMiddleware {
            { inner in
                { scope, receive, send in
                    log.append("enter \(name)")
                    var scope = scope
                    if case .http(var http) = scope {
                        http.rootPath += "/" + name
                        scope = .http(http)
                    }
                    try await inner(scope, receive, send)
                    log.append("leave \(name)")
                }
            }
        }
        let composed = pagiCompose(app, [tag("outer"), tag("inner")])
        let sent = Mutex<[String]>([])
        try await composed(
            .http(HTTPScope(request: PAGIScopeTests.request())),
            { .emptyHTTPRequest },
            { event in sent.withLock { $0.append(event.type) } }
        )
        #expect(log.all == ["enter outer", "enter inner", "app root=/outer/inner", "leave inner", "leave outer"])
        #expect(sent.withLock { $0 } == ["http.response.start"])
    }

    @Test("an app refuses unsupported scopes with a readable error")
    func unsupported() async {
        let app: PAGIApp = { scope, _, _ in
            guard case .http = scope else { throw PAGIUnsupportedScopeError(scope.type) }
        }
        await #expect(throws: PAGIUnsupportedScopeError.self) {
            try await app(.lifespan(LifespanScope()), { .lifespanStartup }, { _ in })
        }
        #expect(PAGIUnsupportedScopeError(.lifespan).description == "the application does not handle 'lifespan' scopes")
    }
}
