import PAGI
import PAGIHTTP1
import Testing

@testable import PAGIServer

@Suite("ResponseHeadCache")
struct ResponseHeadCacheTests {
    static let keepAlive11 = HTTP1ResponseContext(version: .http1_1, isHeadRequest: false, keepAlive: true)

    static func key(
        status: Int = 200,
        epochSecond: Int = 1_700_000_000,
        context: HTTP1ResponseContext = keepAlive11,
        contentLength: String? = "13",
        headers: PAGIHeaders = [("content-type", "text/plain")]
    ) -> ResponseHeadCache.Key {
        ResponseHeadCache.Key(
            status: status,
            epochSecond: epochSecond,
            context: context,
            contentLength: contentLength.map { Array($0.utf8)[...] },
            headers: headers
        )
    }

    /// What the connection handler writes on a miss: a fresh serialization of `key`.
    static func serialize(_ key: ResponseHeadCache.Key) throws -> (bytes: [UInt8], framing: HTTP1ResponseFraming) {
        var serializer = HTTP1ResponseSerializer()
        var bytes: [UInt8] = []
        let framing = try serializer.writeHead(
            status: key.status,
            fields: ResponseHeadFields(headers: key.headers, contentLength: key.contentLength),
            context: key.context,
            epochSecond: key.epochSecond,
            into: &bytes
        )
        return (bytes, framing)
    }

    @Test("an empty cache misses; after store the same key hits with the stored bytes and framing")
    func storeThenHit() throws {
        var cache = ResponseHeadCache()
        let key = Self.key()
        #expect(cache.lookup(key) == nil)
        let fresh = try Self.serialize(key)
        cache.store(fresh.bytes, framing: fresh.framing, for: key)
        let hit = try #require(cache.lookup(key))
        #expect(hit.bytes == fresh.bytes)
        #expect(hit.framing == fresh.framing)
        #expect(String(decoding: hit.bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 13\r\n"))
    }

    @Test("any change to status, second, request facts, computed length or fields is a miss")
    func invalidation() throws {
        var cache = ResponseHeadCache()
        let stored = Self.key()
        let fresh = try Self.serialize(stored)
        cache.store(fresh.bytes, framing: fresh.framing, for: stored)
        let changed: [(String, ResponseHeadCache.Key)] = [
            ("status", Self.key(status: 201)),
            ("next second (date)", Self.key(epochSecond: 1_700_000_001)),
            ("HTTP/1.0", Self.key(context: HTTP1ResponseContext(version: .http1_0, isHeadRequest: false, keepAlive: true))),
            ("HEAD request", Self.key(context: HTTP1ResponseContext(version: .http1_1, isHeadRequest: true, keepAlive: true))),
            ("connection closing", Self.key(context: HTTP1ResponseContext(version: .http1_1, isHeadRequest: false, keepAlive: false))),
            ("computed length digits", Self.key(contentLength: "14")),
            ("no computed length (streamed)", Self.key(contentLength: nil)),
            ("field value", Self.key(headers: [("content-type", "text/html")])),
            ("field name", Self.key(headers: [("content-typf", "text/plain")])),
            ("field added", Self.key(headers: [("content-type", "text/plain"), ("x-a", "1")])),
            ("field removed", Self.key(headers: [])),
            ("field order", Self.key(headers: [("x-a", "1"), ("content-type", "text/plain")])),
        ]
        for (what, key) in changed {
            #expect(cache.lookup(key) == nil, "a changed \(what) must miss")
        }
        // The stored key still hits: lookups do not disturb the cache.
        #expect(cache.lookup(stored)?.bytes == fresh.bytes)
    }

    @Test("field order matters even for the same set of fields")
    func orderMatters() throws {
        var cache = ResponseHeadCache()
        let ab = Self.key(headers: [("x-a", "1"), ("x-b", "2")])
        let ba = Self.key(headers: [("x-b", "2"), ("x-a", "1")])
        let fresh = try Self.serialize(ab)
        cache.store(fresh.bytes, framing: fresh.framing, for: ab)
        #expect(cache.lookup(ba) == nil)
        #expect(try Self.serialize(ba).bytes != fresh.bytes)
    }

    @Test("a store replaces the previous head: the earlier key misses afterwards")
    func storeReplaces() throws {
        var cache = ResponseHeadCache()
        let first = Self.key(status: 200)
        let second = Self.key(status: 404)
        for key in [first, second] {
            let fresh = try Self.serialize(key)
            cache.store(fresh.bytes, framing: fresh.framing, for: key)
        }
        #expect(cache.lookup(first) == nil)
        #expect(cache.lookup(second)?.bytes == (try Self.serialize(second)).bytes)
    }

    @Test("never stale: driven like the connection handler, every written head equals a fresh serialization")
    func neverStale() throws {
        var cache = ResponseHeadCache()
        let head = HTTP1ResponseContext(version: .http1_1, isHeadRequest: true, keepAlive: true)
        let http10 = HTTP1ResponseContext(version: .http1_0, isHeadRequest: false, keepAlive: false)
        let sequence: [ResponseHeadCache.Key] = [
            Self.key(), Self.key(), Self.key(epochSecond: 1_700_000_001), Self.key(epochSecond: 1_700_000_001),
            Self.key(status: 204, contentLength: nil), Self.key(status: 204, contentLength: nil),
            Self.key(context: head), Self.key(), Self.key(context: http10, contentLength: nil),
            Self.key(contentLength: "1048576"), Self.key(contentLength: "1048576"),
            Self.key(headers: [("content-type", "text/plain"), ("set-cookie", "a=1")]),
            Self.key(headers: [("content-type", "text/plain"), ("set-cookie", "a=2")]),
            Self.key(status: 304, contentLength: nil, headers: [("etag", "\"x\"")]),
        ]
        var hits = 0
        for (index, key) in sequence.enumerated() {
            let fresh = try Self.serialize(key)
            let written: (bytes: [UInt8], framing: HTTP1ResponseFraming)
            if let cached = cache.lookup(key) {
                hits += 1
                written = cached
            } else {
                written = fresh
                cache.store(fresh.bytes, framing: fresh.framing, for: key)
            }
            #expect(written.bytes == fresh.bytes, "step \(index): \(String(decoding: written.bytes, as: UTF8.self))")
            #expect(written.framing == fresh.framing, "step \(index)")
        }
        #expect(hits == 4, "the four immediate repeats hit")
    }
}
