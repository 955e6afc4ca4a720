import PAGI
import Testing

@testable import PAGIServer

@Suite("SSEStartHeaders")
struct SSEStartHeadersTests {
    @Test("no headers from the app: content-type and cache-control are added")
    func defaults() {
        let headers = SSEStartHeaders.complete([])
        #expect(headers == [("content-type", "text/event-stream"), ("cache-control", "no-cache")])
    }

    @Test("the app's content-type and cache-control are kept, never duplicated")
    func appValuesWin() {
        let headers = SSEStartHeaders.complete([("Content-Type", "text/event-stream; charset=utf-8"), ("cache-control", "no-store")])
        #expect(headers.values(name: "content-type") == ["text/event-stream; charset=utf-8"])
        #expect(headers.values(name: "cache-control") == ["no-store"])
        #expect(headers.count == 2)
    }

    @Test("an app's content-length is dropped so the stream is chunked")
    func contentLengthDropped() {
        let headers = SSEStartHeaders.complete([("content-length", "10"), ("x-a", "1")])
        #expect(!headers.contains(name: "content-length"))
        #expect(headers.first(name: "x-a") == "1")
        #expect(headers.first(name: "content-type") == "text/event-stream")
    }

    @Test("other headers keep their order, additions come last")
    func order() {
        let headers = SSEStartHeaders.complete([("x-b", "2"), ("x-a", "1")])
        #expect(headers.map(\.name) == ["x-b", "x-a", "content-type", "cache-control"])
    }
}
