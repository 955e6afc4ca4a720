// bench-websocket: PAGIWebSocket's frame parser vs SwiftNIO's WebSocketFrameDecoder, in one process.
//
// Both sides parse the same buffer of masked client frames, fed in 64 KiB reads (NIO's usual read
// size), and produce the unmasked payload of every frame: PAGIWebSocket unmasks while copying
// into its reused payload buffer; NIO decodes a WebSocketFrame and reads `unmaskedData`. Each
// case runs several rounds alternating the two and keeps each side's best round, so background
// load on the shared machine hurts both equally. Prints MB/s (wire bytes), frames/s and
// `speedup <case>: X.XX` (PAGIWebSocket ÷ NIOWebSocket), then UTF-8 validation throughput.
//
// Run: swift build -c release --package-path Scripts/Benchmarks --product bench-websocket
//      Scripts/Benchmarks/.build/release/bench-websocket [--quick]

import NIOCore
import NIOEmbedded
import NIOWebSocket
import PAGIWebSocket

#if canImport(Glibc)
import Glibc
#endif

/// Formats `value` with `decimals` fractional digits, right-aligned to `width` (no Foundation).
func fixed(_ value: Double, _ decimals: Int, width: Int = 0) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text: String
    if decimals == 0 {
        text = String(Int(rounded))
    } else {
        let whole = Int(rounded.rounded(.towardZero))
        let fraction = Int(((rounded - Double(whole)) * scale).rounded())
        var digits = String(fraction)
        while digits.count < decimals { digits = "0" + digits }
        text = "\(whole).\(digits)"
    }
    while text.count < width { text = " " + text }
    return text
}

let quick = CommandLine.arguments.contains("--quick")
let rounds = quick ? 2 : 5
let readSize = 65_536
let key = WebSocketMaskingKey(0x12, 0x34, 0x56, 0x78)

/// Builds `count` masked binary frames of `size` payload bytes.
func makeInput(size: Int, count: Int) -> [UInt8] {
    let payload = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
    var out: [UInt8] = []
    out.reserveCapacity(count * (size + 14))
    payload.withUnsafeBytes { bytes in
        for _ in 0..<count {
            WebSocketFrameSerializer.writeFrame(opcode: .binary, payload: bytes, maskingKey: key, into: &out)
        }
    }
    return out
}

/// Parses `input` with PAGIWebSocket; returns (frames, payload checksum).
func runPAGI(_ input: [UInt8], maxFrameSize: Int) -> (frames: Int, checksum: Int) {
    var parser = WebSocketFrameParser(limits: WebSocketLimits(maxFrameSize: maxFrameSize))
    var frames = 0
    var checksum = 0
    input.withUnsafeBytes { all in
        var readStart = 0
        while readStart < all.count {
            let read = UnsafeRawBufferPointer(rebasing: all[readStart..<min(readStart + readSize, all.count)])
            var offset = 0
            while offset < read.count {
                let (consumed, result) = parser.parse(UnsafeRawBufferPointer(rebasing: read[offset...]))
                offset += consumed
                switch result {
                case .frame:
                    frames += 1
                    checksum &+= parser.withPayload { $0.isEmpty ? 0 : Int($0[$0.count - 1]) &+ $0.count }
                case .needMoreData:
                    break
                case .protocolError(let error):
                    fatalError("PAGIWebSocket rejected benchmark input: \(error)")
                }
            }
            readStart += readSize
        }
    }
    return (frames, checksum)
}

/// Counts the frames NIO's decoder passes down the pipeline and unmasks each payload.
final class FrameSink: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    let unmask: Bool
    var frames = 0
    var checksum = 0

    init(unmask: Bool) {
        self.unmask = unmask
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        frames += 1
        let payload = self.unmask ? frame.unmaskedData : frame.data
        let last = payload.readableBytes == 0 ? 0 : Int(payload.getInteger(at: payload.writerIndex - 1, as: UInt8.self) ?? 0)
        checksum &+= payload.readableBytes == 0 ? 0 : last &+ payload.readableBytes
    }
}

/// Parses `input` with NIOWebSocket's WebSocketFrameDecoder the way NIO runs it — a
/// ByteToMessageHandler in a channel pipeline (EmbeddedChannel, no I/O) — with a sink handler that
/// unmasks each frame (or, with `unmask: false`, only touches the still-masked payload, to show how
/// much of NIO's time is its byte-wise unmask); returns (frames, payload checksum).
func runNIO(_ input: [UInt8], maxFrameSize: Int, unmask: Bool = true) -> (frames: Int, checksum: Int) {
    let sink = FrameSink(unmask: unmask)
    let channel = EmbeddedChannel()
    do {
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: maxFrameSize)))
        try channel.pipeline.syncOperations.addHandler(sink)
        var readStart = 0
        while readStart < input.count {
            let buffer = channel.allocator.buffer(bytes: input[readStart..<min(readStart + readSize, input.count)])
            try channel.writeInbound(buffer)
            readStart += readSize
        }
        _ = try channel.finish()
    } catch {
        fatalError("NIOWebSocket rejected benchmark input: \(error)")
    }
    return (sink.frames, sink.checksum)
}

/// The best (shortest) duration of `body` in seconds.
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

struct Case {
    var name: String
    var size: Int
    var count: Int
}

// `--alloc-run pagi|nio SIZE COUNT`: parse COUNT frames of SIZE bytes once with one side and exit,
// for counting heap allocations under valgrind (Scripts/bench/websocket.sh runs two counts and
// takes the difference, so fixed start-up allocations cancel out).
if let flag = CommandLine.arguments.firstIndex(of: "--alloc-run"), CommandLine.arguments.count > flag + 3,
    let size = Int(CommandLine.arguments[flag + 2]), let count = Int(CommandLine.arguments[flag + 3])
{
    let input = makeInput(size: size, count: count)
    let result = CommandLine.arguments[flag + 1] == "nio"
        ? runNIO(input, maxFrameSize: max(size, 65_536)) : runPAGI(input, maxFrameSize: max(size, 65_536))
    precondition(result.frames == count, "alloc run lost frames")
    exit(0)
}

let scale = quick ? 4 : 1
let cases = [
    Case(name: "16B", size: 16, count: 1_000_000 / scale),
    Case(name: "1KiB", size: 1024, count: 100_000 / scale),
    Case(name: "64KiB", size: 65_536, count: 2_000 / scale),
]

let clock = ContinuousClock()
print("bench-websocket: parse + unmask masked client frames, \(readSize)-byte reads, best of \(rounds) rounds")
for benchCase in cases {
    let input = makeInput(size: benchCase.size, count: benchCase.count)
    let maxFrame = max(benchCase.size, 65_536)
    var bestPAGI = Double.infinity
    var bestNIO = Double.infinity
    var bestNIODecodeOnly = Double.infinity
    var resultPAGI = (frames: 0, checksum: 0)
    var resultNIO = (frames: 0, checksum: 0)
    for _ in 0..<rounds {
        var result = (frames: 0, checksum: 0)
        let pagiTime = clock.measure { result = runPAGI(input, maxFrameSize: maxFrame) }
        resultPAGI = result
        bestPAGI = min(bestPAGI, seconds(pagiTime))
        let nioTime = clock.measure { result = runNIO(input, maxFrameSize: maxFrame) }
        resultNIO = result
        bestNIO = min(bestNIO, seconds(nioTime))
        let decodeOnlyTime = clock.measure { result = runNIO(input, maxFrameSize: maxFrame, unmask: false) }
        precondition(result.frames == benchCase.count, "NIO decode-only run lost frames")
        bestNIODecodeOnly = min(bestNIODecodeOnly, seconds(decodeOnlyTime))
    }
    guard resultPAGI == resultNIO, resultPAGI.frames == benchCase.count else {
        fatalError("results differ: PAGIWebSocket \(resultPAGI), NIOWebSocket \(resultNIO)")
    }
    let megabytes = Double(input.count) / 1e6
    func line(_ name: String, _ time: Double) -> String {
        let mbps = megabytes / time
        let fps = Double(benchCase.count) / time
        return "\(name): \(fixed(mbps, 1, width: 9)) MB/s \(fixed(fps, 0, width: 12)) frames/s"
    }
    print("case \(benchCase.name) (\(benchCase.count) frames, \(fixed(megabytes, 1)) MB)")
    print("  " + line("PAGIWebSocket", bestPAGI))
    print("  " + line("NIOWebSocket ", bestNIO))
    print("  " + line("NIOWebSocket, decode only, no unmask (reference)", bestNIODecodeOnly))
    print("speedup \(benchCase.name): \(fixed(bestNIO / bestPAGI, 2))")
}

// UTF-8 validation on ASCII-heavy text: English prose with one two-byte and one three-byte
// character per ~100 bytes, validated in 64 KiB fragments as a fragmented text message would be.
let sentence = Array("The quick brown fox jumps over the lazy dog; naïve café owners sell crème brûlée for 3 € each. ".utf8)
var text: [UInt8] = []
let textSize = quick ? 16 << 20 : 64 << 20
while text.count < textSize { text += sentence }
var bestUTF8 = Double.infinity
var valid = true
for _ in 0..<rounds {
    let time = clock.measure {
        var validator = WebSocketUTF8Validator()
        text.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                valid = valid && validator.consume(UnsafeRawBufferPointer(rebasing: all[offset..<min(offset + readSize, all.count)]))
                offset += readSize
            }
        }
        valid = valid && validator.isAtCharacterBoundary
    }
    bestUTF8 = min(bestUTF8, seconds(time))
}
guard valid else { fatalError("UTF-8 benchmark text rejected") }
let asciiBytes = sentence.filter { $0 < 0x80 }.count
let asciiPercent = fixed(Double(asciiBytes) * 100 / Double(sentence.count), 0)
let mixedRate = fixed(Double(text.count) / bestUTF8 / 1e9, 2)
print("utf8 validation (\(asciiPercent)% ASCII, \(text.count >> 20) MiB): \(mixedRate) GB/s")

var pureASCII = [UInt8](repeating: 0x61, count: textSize)
pureASCII[textSize - 1] = 0x0A
var bestASCII = Double.infinity
for _ in 0..<rounds {
    let time = clock.measure {
        var validator = WebSocketUTF8Validator()
        valid = pureASCII.withUnsafeBytes { validator.consume($0) } && valid
    }
    bestASCII = min(bestASCII, seconds(time))
}
let asciiRate = fixed(Double(pureASCII.count) / bestASCII / 1e9, 2)
print("utf8 validation (100% ASCII, \(pureASCII.count >> 20) MiB): \(asciiRate) GB/s")
