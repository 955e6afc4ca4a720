import PAGIHTTP1
import Testing

@Suite("HTTP1DateCache")
struct HTTP1DateCacheTests {
    @Test(arguments: [
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"), (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"), (1_798_761_599, "Thu, 31 Dec 2026 23:59:59 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"), (4_102_444_800, "Fri, 01 Jan 2100 00:00:00 GMT"),
    ])
    func formats(epochSecond: Int, expected: String) {
        var output: [UInt8] = []
        HTTP1DateCache.format(epochSecond: epochSecond, into: &output)
        #expect(String(decoding: output, as: UTF8.self) == expected)
    }

    @Test func cachesPerSecond() {
        var cache = HTTP1DateCache()
        let first = cache.bytes(epochSecond: 0)
        #expect(cache.bytes(epochSecond: 0) == first)
        #expect(String(decoding: cache.bytes(epochSecond: 1), as: UTF8.self) == "Thu, 01 Jan 1970 00:00:01 GMT")
    }

    @Test func currentTimeIsRecent() {
        // 2024-01-01 as a floor: the clock source must be the wall clock, not a monotonic one.
        #expect(HTTP1DateCache.currentEpochSecond() > 1_704_067_200)
    }
}
