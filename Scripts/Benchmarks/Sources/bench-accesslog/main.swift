// Measures PAGIAccessLog's renderer: ns per rendered line for each preset (thread CPU time, best of
// the runs), and heap allocations per line after warm-up. Prints one `ns/line <preset>: N` and one `allocs/line <preset>: N` line each.
//
// There is no SwiftNIO counterpart (NIO has no access log), so the peer printed alongside is the
// naive way to build the same combined line: Swift string interpolation into a new String per
// request (what the reference server does with join/sprintf), as `ns/line naive-combined: N`.
//
// What is timed is the renderer as the server calls it: `removeAll(keepingCapacity:)`, `render`
// of an entry the caller owns (passed borrowed, as the server does), reading the buffer's count.
// The only per-line work of the benchmark itself is three integer stores that vary the start
// time, duration and keep-alive count across 1,024 prepared values, and the header lookups of
// `PackedHeaders`, a server-like header store (two `memcmp` scans per combined line), which the
// server pays too. Entries are built before timing.
//
// Allocation counting needs Scripts/bench/accesslog.sh, which preloads a tiny malloc counter that
// exports `pagi_bench_malloc_calls`; run bare, the binary prints `allocs/line …: n/a`.
//
// Usage: bench-accesslog [--lines N] [--runs R] [--only NAME]   (NAME: a preset, every-atom, naive-combined)

import PAGIAccessLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A header type shaped like the server's: lower-cased names and values in one byte array.
struct PackedHeaders: AccessLogHeaderLookup {
    var bytes: [UInt8] = []
    var fields: [(nameStart: Int, nameCount: Int, valueStart: Int, valueCount: Int)] = []

    init(_ pairs: [(String, String)]) {
        for (name, value) in pairs {
            let nameStart = self.bytes.count
            self.bytes.append(contentsOf: name.lowercased().utf8)
            let valueStart = self.bytes.count
            self.bytes.append(contentsOf: value.utf8)
            self.fields.append((nameStart, valueStart - nameStart, valueStart, self.bytes.count - valueStart))
        }
    }

    func withFirstValue<Result>(
        forLowercasedName lowercasedName: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer?) -> Result
    ) -> Result {
        self.bytes.withUnsafeBytes { storage in
            guard let base = storage.baseAddress, let wanted = lowercasedName.baseAddress else { return body(nil) }
            for field in self.fields where field.nameCount == lowercasedName.count {
                if memcmp(base + field.nameStart, wanted, field.nameCount) == 0 {
                    return body(UnsafeRawBufferPointer(start: base + field.valueStart, count: field.valueCount))
                }
            }
            return body(nil)
        }
    }
}

let requestHeaders = PackedHeaders([
    ("Host", "www.example.com"),
    ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
    ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    ("Accept-Language", "en-US,en;q=0.5"),
    ("Accept-Encoding", "gzip, deflate, br, zstd"),
    ("Referer", "https://www.example.com/products/"),
    ("Connection", "keep-alive"),
    ("Cookie", "session=4f2a9c1e8b7d6a5f; theme=dark"),
])
let responseHeaders = PackedHeaders([("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "5120")])

func makeEntry(_ index: Int) -> AccessLogEntry<PackedHeaders> {
    AccessLogEntry(
        client: .ip(address: "203.0.113.195", port: 51_234),
        server: .ip(address: "192.0.2.10", port: 443),
        method: "GET",
        path: "/products/widgets/index.html",
        query: "category=tools&sort=price",
        httpVersion: "1.1",
        status: 200,
        bodyBytes: 5_120,
        bytesReceived: 612,
        bytesSent: 5_391,
        requestHeaders: requestHeaders,
        responseHeaders: responseHeaders,
        startTime: AccessLogTimestamp(secondsSinceEpoch: 1_795_318_483 + Int64(index & 1023), nanoseconds: 125_000_000),
        duration: .nanoseconds(1_234_567 + Int64(index & 4095)),
        processID: 4_242,
        keepAliveRequests: index & 7,
        connectionStatus: .keptAlive
    )
}

/// The malloc call counter of the preloaded shim, if present.
let mallocCalls: UnsafeMutablePointer<UInt64>? = {
    guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "pagi_bench_malloc_calls") else { return nil }
    return symbol.assumingMemoryBound(to: UInt64.self)
}()

/// This thread's CPU time: the machine is shared, so wall time would count other processes' slices.
func now() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

var lines = 2_000_000
var runs = 5
var only: String?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--lines": lines = arguments.popFirst().flatMap { Int($0) } ?? lines
    case "--runs": runs = arguments.popFirst().flatMap { Int($0) } ?? runs
    case "--only": only = arguments.popFirst()
    default:
        print("usage: bench-accesslog [--lines N] [--runs R] [--only NAME]")
        exit(2)
    }
}

// 1024 distinct entries so time and duration formatting do real work, built before timing.
let entryArray = (0..<1_024).map(makeEntry)
// Rendered in place, as the server renders the entry it owns: indexing an Array would copy the
// entry (retaining its strings) on every iteration and bill that to the renderer.
let entries = UnsafeMutableBufferPointer<AccessLogEntry<PackedHeaders>>.allocate(capacity: entryArray.count)
_ = entries.initialize(from: entryArray)
var sink = 0

/// Best-of-`runs` ns/line and allocations/line of `body` over `lines` calls.
@MainActor
func measure(_ body: (Int) -> Int) -> (nanoseconds: Double, allocations: Double?) {
    for index in 0..<10_000 { sink &+= body(index) }  // warm-up: the line buffer reaches its size
    var best = Double.infinity
    var allocations: Double?
    for _ in 0..<runs {
        let mallocBefore = mallocCalls?.pointee
        let start = now()
        for index in 0..<lines { sink &+= body(index) }
        let elapsed = now() - start
        if let mallocBefore, let mallocAfter = mallocCalls?.pointee {
            allocations = Double(mallocAfter - mallocBefore) / Double(lines)
        }
        best = min(best, Double(elapsed) / Double(lines))
    }
    return (best, allocations)
}

@MainActor
func report(_ name: String, _ measurement: @autoclosure () -> (nanoseconds: Double, allocations: Double?)) {
    if let only, only != name { return }
    let result = measurement()
    let ns = (result.nanoseconds * 10).rounded() / 10
    print("ns/line \(name): \(ns)")
    if let allocations = result.allocations {
        print("allocs/line \(name): \(allocations)")
    } else {
        print("allocs/line \(name): n/a (run through Scripts/bench/accesslog.sh to count)")
    }
}

/// Renders `lines` entries with `format` into one reused buffer. A function with locals, not
/// top-level code: globals in main.swift get dynamic exclusivity checks and copies on every access,
/// which the profile billed to the renderer.
@MainActor @inline(never)
func renderLoop(_ format: AccessLogFormat, _ entries: UnsafeMutableBufferPointer<AccessLogEntry<PackedHeaders>>) -> (nanoseconds: Double, allocations: Double?) {
    var buffer: [UInt8] = []
    buffer.reserveCapacity(512)
    // The server builds one entry per request and passes it borrowed. Passing `entries[i]` (or
    // `pointer.pointee`) made a copy of the entry (retaining its 6 strings and 4 arrays, ~560
    // instructions per line) that callgrind billed to the renderer. So one local entry is
    // rendered, and only its per-request integers (start time, duration, keep-alive count) are
    // swapped in from the 1,024 prepared entries: plain stores, no reference counting.
    guard var entry = entries.first else { return (0, nil) }
    let varying = entries.map { ($0.startTime, $0.info.durationNanoseconds, $0.keepAliveRequests) }
    return measure { index in
        (entry.info.startTime, entry.info.durationNanoseconds, entry.info.keepAliveRequests) = varying[index & 1023]
        buffer.removeAll(keepingCapacity: true)
        format.render(entry, into: &buffer)
        return buffer.count
    }
}

for preset in AccessLogPreset.allCases {
    report(preset.rawValue, renderLoop(AccessLogFormat(preset: preset), entries))
}

let everyAtom = try AccessLogFormat(
    format: #"%h %a %A %p %l %u [%t] %{sec}t.%{msec_frac}t "%r" %m %U%q %H %s %b %B %I %O %d %D %T "%{Referer}i" "%{User-Agent}i" "%{Content-Type}o" %P %k %X"#
)
report("every-atom", renderLoop(everyAtom, entries))

/// The peer: the same combined line built by string interpolation, as a naive logger would.
@MainActor @inline(never)
func naiveLoop(_ entries: UnsafeMutableBufferPointer<AccessLogEntry<PackedHeaders>>) -> (nanoseconds: Double, allocations: Double?) {
    let userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    let referer = "https://www.example.com/products/"
    return measure { index in
        let entry = entries[index & 1023]
        let line = "203.0.113.195 - - [22/Nov/2026:03:34:43 +0000] \"\(entry.method ?? "-") \(entry.path ?? "/")?\(entry.query ?? "") HTTP/\(entry.httpVersion ?? "1.1")\" \(entry.status ?? 0) \(entry.bodyBytes) \"\(referer)\" \"\(userAgent)\""
        return line.utf8.count
    }
}
report("naive-combined", naiveLoop(entries))
if sink == 42 { print("") }
