// Compares PAGIHTTP1's request parser with SwiftNIO's NIOHTTP1 decoder (llhttp) on the same corpus,
// in one process, and prints ns/request for both plus `speedup <case>: X.XX` (NIO ns ÷ PAGIHTTP1 ns).
//
// Fairness: each side does what a server built on it would do per read. NIOHTTP1's decoder only runs
// inside a channel pipeline, so it is driven as `ByteToMessageHandler(HTTPRequestDecoder())` in an
// EmbeddedChannel: write the buffer inbound, read every `HTTPServerRequestPart` out (head with
// `HTTPHeaders`, body slices, end). PAGIHTTP1 is driven the way PAGIServer's handler drives it:
// parse the readable bytes of a ByteBuffer, move the reader index, take body bytes as ByteBuffer
// slices and touch the head's method and header count. The pipeline's own cost is printed too
// (`nio-pipeline-floor`: an EmbeddedChannel with a decoder that consumes everything and emits one
// part per request) so a reader can see how much of NIO's time is the pipeline, and a
// `decoder-only ratio` line per case: (NIOHTTP1 − floor) ÷ PAGIHTTP1. A PAGI server pays its own
// pipeline cost on top of the parser, so for end-to-end estimates compare NIOHTTP1 with PAGIHTTP1 + floor.
//
// Usage: bench-http1 [--seconds S] [--runs N]      (timed comparison)
//        bench-http1 --alloc-run CASE N            (parse N requests of CASE with PAGIHTTP1 after a
//                                                   warm-up, for valgrind's allocation counter)

import NIOCore
import NIOEmbedded
import NIOHTTP1
import PAGIHTTP1

#if canImport(Glibc)
import Glibc
#endif

struct BenchCase {
    var name: String
    var bytes: [UInt8]
    var requests: Int
}

func makeCases() -> [BenchCase] {
    let tiny = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"
    let browser =
        "GET /products/widgets/index.html?category=tools&sort=price HTTP/1.1\r\n"
        + "Host: www.example.com\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
        + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n"
        + "Accept-Language: en-US,en;q=0.5\r\n"
        + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
        + "Referer: https://www.example.com/products/\r\n"
        + "Connection: keep-alive\r\n"
        + "Cookie: session=4f2a9c1e8b7d6a5f; theme=dark; consent=yes\r\n"
        + "Upgrade-Insecure-Requests: 1\r\n"
        + "Sec-Fetch-Dest: document\r\n"
        + "Sec-Fetch-Mode: navigate\r\n"
        + "Sec-Fetch-Site: same-origin\r\n"
        + "\r\n"
    var chunkedPost = "POST /upload HTTP/1.1\r\nHost: api.example.com\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    for index in 0..<4 {
        chunkedPost += "400\r\n" + String(repeating: Character(UnicodeScalar(UInt8(ascii: "a") + UInt8(index))), count: 1024) + "\r\n"
    }
    chunkedPost += "0\r\n\r\n"
    let pipelined = String(repeating: "GET /pipelined/resource HTTP/1.1\r\nHost: localhost\r\nAccept: */*\r\n\r\n", count: 16)
    return [
        BenchCase(name: "tiny-get", bytes: Array(tiny.utf8), requests: 1),
        BenchCase(name: "browser-get", bytes: Array(browser.utf8), requests: 1),
        BenchCase(name: "chunked-post-4k", bytes: Array(chunkedPost.utf8), requests: 1),
        BenchCase(name: "pipelined-16", bytes: Array(pipelined.utf8), requests: 16),
    ]
}

/// PAGIHTTP1 as PAGIServer drives it: parse the readable bytes, move the reader index, slice bodies.
struct PAGIDriver {
    var parser = HTTP1RequestParser()
    var sink = 0

    mutating func run(_ template: ByteBuffer) -> Int {
        var buffer = template
        var ends = 0
        while true {
            let result = buffer.withUnsafeReadableBytes { self.parser.parse($0) }
            switch result.event {
            case .needMoreData:
                buffer.moveReaderIndex(forwardBy: result.consumed)
                return ends
            case .head:
                let head = self.parser.head
                self.sink &+= head.method.count &+ head.headers.count
            case .body(let range):
                if let slice = buffer.getSlice(at: buffer.readerIndex + range.lowerBound, length: range.count) {
                    self.sink &+= slice.readableBytes
                }
            case .end:
                ends += 1
            case .error(let error):
                fatalError("PAGIHTTP1 rejected the benchmark corpus: \(error)")
            }
            buffer.moveReaderIndex(forwardBy: result.consumed)
        }
    }
}

/// NIOHTTP1 as a NIO server uses it: the decoder in a channel pipeline.
struct NIODriver {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)))
    var sink = 0

    mutating func run(_ template: ByteBuffer) throws -> Int {
        try self.channel.writeInbound(template)
        var ends = 0
        while let part = try self.channel.readInbound(as: HTTPServerRequestPart.self) {
            switch part {
            case .head(let head):
                self.sink &+= head.method.rawValue.utf8.count &+ head.headers.count
            case .body(let body):
                self.sink &+= body.readableBytes
            case .end:
                ends += 1
            }
        }
        return ends
    }
}

/// The pipeline floor: a decoder that finds nothing but the request count and emits one Int per request.
struct FloorDecoder: ByteToMessageDecoder {
    typealias InboundOut = Int
    let requests: Int
    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard buffer.readableBytes > 0 else {
            return .needMoreData
        }
        buffer.moveReaderIndex(to: buffer.writerIndex)
        for _ in 0..<self.requests {
            context.fireChannelRead(Self.wrapInboundOut(1))
        }
        return .continue
    }
}

/// `value` with `digits` decimals (no Foundation in this package).
func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits {
        scale *= 10
    }
    let scaled = Int((value * scale).rounded())
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    return "\(whole)." + String(repeating: "0", count: digits - fraction.count) + fraction
}

func now() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

/// Runs `body` in batches until `seconds` elapse; returns ns per request.
func measure(seconds: Double, requestsPerCall: Int, _ body: () throws -> Int) rethrows -> Double {
    // Warm-up: fill caches, grow buffers to their steady size.
    for _ in 0..<2_000 {
        _ = try body()
    }
    let budget = UInt64(seconds * 1e9)
    let start = now()
    var calls = 0
    var elapsed: UInt64 = 0
    repeat {
        for _ in 0..<256 {
            let ends = try body()
            precondition(ends == requestsPerCall, "expected \(requestsPerCall) requests, parsed \(ends)")
        }
        calls += 256
        elapsed = now() - start
    } while elapsed < budget
    return Double(elapsed) / Double(calls * requestsPerCall)
}

var seconds = 0.4
var runs = 5
var arguments = CommandLine.arguments.dropFirst()
if arguments.first == "--alloc-run" {
    let caseName = arguments.dropFirst().first ?? "browser-get"
    let count = Int(arguments.dropFirst(2).first ?? "1000") ?? 1000
    guard let benchCase = makeCases().first(where: { $0.name == caseName }) else {
        fatalError("unknown case \(caseName)")
    }
    let template = ByteBuffer(bytes: benchCase.bytes)
    var driver = PAGIDriver()
    for _ in 0..<100 {
        _ = driver.run(template)
    }
    var total = 0
    for _ in 0..<count {
        total += driver.run(template)
    }
    print("alloc-run \(caseName): parsed \(total) requests (sink \(driver.sink))")
    exit(0)
}
while let argument = arguments.popFirst() {
    switch argument {
    case "--seconds":
        seconds = Double(arguments.popFirst() ?? "") ?? seconds
    case "--runs":
        runs = Int(arguments.popFirst() ?? "") ?? runs
    default:
        fatalError("usage: bench-http1 [--seconds S] [--runs N] | --alloc-run CASE N")
    }
}

print("bench-http1: PAGIHTTP1 vs NIOHTTP1 (swift-nio HTTPRequestDecoder in EmbeddedChannel); best of \(runs) runs × \(seconds) s")
print(String(repeating: "-", count: 78))
var speedups: [(String, Double)] = []
var withoutPipeline: [(String, Double)] = []
for benchCase in makeCases() {
    let template = ByteBuffer(bytes: benchCase.bytes)
    var pagi = PAGIDriver()
    var nio = NIODriver()
    let floorChannel = EmbeddedChannel(handler: ByteToMessageHandler(FloorDecoder(requests: benchCase.requests)))
    var bestPAGI = Double.infinity
    var bestNIO = Double.infinity
    var bestFloor = Double.infinity
    // Interleave the libraries run by run so machine noise hits both alike.
    for _ in 0..<runs {
        bestPAGI = min(bestPAGI, measure(seconds: seconds, requestsPerCall: benchCase.requests) { pagi.run(template) })
        bestNIO = min(bestNIO, try measure(seconds: seconds, requestsPerCall: benchCase.requests) { try nio.run(template) })
        bestFloor = min(
            bestFloor,
            try measure(seconds: seconds / 2, requestsPerCall: benchCase.requests) {
                try floorChannel.writeInbound(template)
                var count = 0
                while try floorChannel.readInbound(as: Int.self) != nil {
                    count += 1
                }
                return count
            }
        )
    }
    precondition(pagi.sink != 0 && nio.sink != 0)
    let speedup = bestNIO / bestPAGI
    speedups.append((benchCase.name, speedup))
    withoutPipeline.append((benchCase.name, max(bestNIO - bestFloor, 0) / bestPAGI))
    print(
        "\(benchCase.name): \(benchCase.bytes.count) bytes, \(benchCase.requests) request(s)/buffer — "
            + "PAGIHTTP1 \(fixed(bestPAGI, 1)) ns/request, NIOHTTP1 \(fixed(bestNIO, 1)) ns/request, "
            + "nio-pipeline-floor \(fixed(bestFloor, 1)) ns/request"
    )
}
print(String(repeating: "-", count: 78))
for (name, speedup) in speedups {
    print("speedup \(name): \(fixed(speedup, 2))")
}
// The same ratio with the pipeline floor subtracted from NIO: how the two decoders compare on their own.
for (name, ratio) in withoutPipeline {
    print("decoder-only ratio \(name): \(fixed(ratio, 2))")
}
