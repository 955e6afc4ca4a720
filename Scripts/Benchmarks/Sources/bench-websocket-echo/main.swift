// bench-websocket-echo: a WebSocket load client on SwiftNIO. N connections each keep one 64-byte
// text message in flight against an echo server (send, wait for the echo, send again) for D
// seconds; prints the echoed messages per second. Run by Scripts/bench/websocket-echo.sh against
// pagi-server --app ws-echo and uvicorn in the same run.
//
// Usage: bench-websocket-echo --port P [--connections 50] [--duration 10] [--size 64] [--path /]

import Foundation
import NIOCore
import NIOPosix
import PAGIWebSocket
import Synchronization

let echoed = Atomic<Int>(0)

struct Options {
    var port = 0
    var connections = 50
    var duration = 10.0
    var size = 64
    var path = "/"

    init(_ arguments: [String]) throws {
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw BenchError("missing value after \(arguments[index - 1])") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--port": self.port = Int(try value()) ?? 0
            case "--connections": self.connections = Int(try value()) ?? 50
            case "--duration": self.duration = Double(try value()) ?? 10
            case "--size": self.size = Int(try value()) ?? 64
            case "--path": self.path = try value()
            default: throw BenchError("unknown argument \(arguments[index]); usage: --port P [--connections N] [--duration S] [--size B] [--path /]")
            }
            index += 1
        }
        guard self.port > 0 else { throw BenchError("--port is required") }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One client connection: handshake, then send / await echo / send again.
final class EchoClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: String
    private let frame: ByteBuffer
    private let ready: EventLoopPromise<Void>
    private var handshakeDone = false
    private var head = ByteBuffer()
    private var parser = WebSocketFrameParser(role: .client)

    init(request: String, frame: ByteBuffer, ready: EventLoopPromise<Void>) {
        self.request = request
        self.frame = frame
        self.ready = ready
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(Self.wrapOutboundOut(ByteBuffer(string: self.request)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        if !self.handshakeDone {
            self.head.writeBuffer(&bytes)
            let text = String(decoding: self.head.readableBytesView, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { return }
            guard text.hasPrefix("HTTP/1.1 101") else {
                self.ready.fail(BenchError("handshake refused: \(text.prefix(200))"))
                context.close(promise: nil)
                return
            }
            self.handshakeDone = true
            self.head.moveReaderIndex(forwardBy: text[..<end.upperBound].utf8.count)
            bytes = self.head
            self.ready.succeed(())
            context.writeAndFlush(Self.wrapOutboundOut(self.frame), promise: nil)
        }
        var frames = 0
        var failed = false
        bytes.withUnsafeReadableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let (consumed, result) = self.parser.parse(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                offset += consumed
                switch result {
                case .frame: frames += 1
                case .needMoreData: return
                case .protocolError: failed = true; return
                }
            }
        }
        if failed {
            context.close(promise: nil)
            return
        }
        if frames > 0 {
            echoed.wrappingAdd(frames, ordering: .relaxed)
            for _ in 0..<frames { context.write(Self.wrapOutboundOut(self.frame), promise: nil) }
            context.flush()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.ready.fail(error)
        context.close(promise: nil)
    }
}

let options: Options
do {
    options = try Options(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("bench-websocket-echo: \(error)\n".utf8))
    exit(64)
}

var frameBytes: [UInt8] = []
let payload = [UInt8](repeating: UInt8(ascii: "x"), count: options.size)
payload.withUnsafeBytes {
    WebSocketFrameSerializer.writeFrame(opcode: .text, payload: $0, maskingKey: WebSocketMaskingKey(0x12, 0x34, 0x56, 0x78), into: &frameBytes)
}
let frame = ByteBuffer(bytes: frameBytes)
let request = "GET \(options.path) HTTP/1.1\r\nHost: 127.0.0.1:\(options.port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
var channels: [any Channel] = []
var readies: [EventLoopFuture<Void>] = []
do {
    for _ in 0..<options.connections {
        let ready = group.next().makePromise(of: Void.self)
        let channel = try ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(EchoClientHandler(request: request, frame: frame, ready: ready))
                }
            }
            .connect(host: "127.0.0.1", port: options.port)
            .wait()
        channels.append(channel)
        readies.append(ready.futureResult)
    }
    for ready in readies { try ready.wait() }
} catch {
    FileHandle.standardError.write(Data("bench-websocket-echo: \(error)\n".utf8))
    exit(1)
}
let start = echoed.load(ordering: .relaxed)
let began = ContinuousClock.now
Thread.sleep(forTimeInterval: options.duration)
let count = echoed.load(ordering: .relaxed) - start
let elapsed = began.duration(to: .now)
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
for channel in channels { channel.close(promise: nil) }
print(String(format: "messages/s: %.0f (%d echoes of %d bytes over %d connections in %.2f s)", Double(count) / seconds, count, options.size, options.connections, seconds))
try? group.syncShutdownGracefully()
