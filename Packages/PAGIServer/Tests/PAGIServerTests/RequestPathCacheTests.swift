import PAGI
import Testing

@testable import PAGIServer

@Suite("RequestPathCache")
struct RequestPathCacheTests {
    /// The array's storage address, to tell a reused array from a fresh copy.
    static func storage(_ array: [UInt8]) -> UnsafeRawPointer? {
        array.withUnsafeBytes { $0.baseAddress }
    }

    static func bytes(_ text: String) -> ArraySlice<UInt8> { Array(text.utf8)[...] }

    @Test("a miss copies and decodes; a repeated path is a hit that reuses the same array")
    func hitReusesStorage() {
        var cache = RequestPathCache()
        let first = cache.lookup(Self.bytes("/caf%C3%A9/a%20b"))
        #expect(first.rawPath == Array("/caf%C3%A9/a%20b".utf8))
        #expect(first.path == PAGIPath(decoding: Array("/caf%C3%A9/a%20b".utf8)))
        #expect(first.path.text == "/café/a b")

        let second = cache.lookup(Self.bytes("/caf%C3%A9/a%20b"))
        #expect(second.rawPath == first.rawPath)
        #expect(second.path == first.path)
        #expect(Self.storage(second.rawPath) == Self.storage(first.rawPath), "a hit must not copy the path again")
    }

    @Test("a different path of the same length, a prefix, an extension and the empty path are misses with fresh values")
    func missesDecodeFresh() {
        var cache = RequestPathCache()
        let start = cache.lookup(Self.bytes("/ab"))
        for next in ["/ac", "/a", "/abc", "", "/ab%2F", "/ab"] {
            let result = cache.lookup(Self.bytes(next))
            #expect(result.rawPath == Array(next.utf8), "raw path for \(next)")
            #expect(result.path == PAGIPath(decoding: Array(next.utf8)), "decoded path for \(next)")
        }
        // Back to "/ab" after other paths: a fresh copy (only the last path is kept).
        let again = cache.lookup(Self.bytes("/ab"))
        #expect(again.path == start.path)
    }

    @Test("a slice with a non-zero start index (the path inside a request line) is compared by content")
    func sliceOfLargerBuffer() {
        var cache = RequestPathCache()
        let line = Array("GET /hello?x=1 HTTP/1.1".utf8)
        let first = cache.lookup(line[4..<10])
        #expect(first.rawPath == Array("/hello".utf8))
        let other = Array("POST /hello HTTP/1.1".utf8)
        let second = cache.lookup(other[5..<11])
        #expect(Self.storage(second.rawPath) == Self.storage(first.rawPath))
        #expect(second.path.text == "/hello")
    }

    @Test("never stale: over an interleaved sequence every answer equals a fresh decode")
    func neverStale() {
        var cache = RequestPathCache()
        let paths = ["/", "/", "/x", "/x", "/y", "/%41", "/A", "/A", "/%41", "/", "/%FF", "/%FF", "/%FE"]
        for path in paths {
            let raw = Array(path.utf8)
            let result = cache.lookup(raw[...])
            #expect(result.rawPath == raw, "raw path for \(path)")
            #expect(result.path == PAGIPath(decoding: raw), "decoded path for \(path)")
        }
    }
}
