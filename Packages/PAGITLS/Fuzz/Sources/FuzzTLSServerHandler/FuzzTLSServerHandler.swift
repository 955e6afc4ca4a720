// Feeds arbitrary bytes, as if from a client, into a TLSServerHandler in an EmbeddedChannel and checks what
// the server relies on: no crash or trap, no plaintext handed on without a completed handshake, and any
// failure is a TLSConnectionError after which the channel is closed.
//
// Input layout: the first byte picks how the rest is split into reads (1 + byte % 64 bytes at a time, or all
// at once when the byte is 0); the rest is the ciphertext.
//
// The server certificate and key come from $PAGI_TLS_FUZZ_DIR (server-chain.pem, server.key), which
// Scripts/fuzz/tls.sh generates with the openssl CLI.

import NIOCore
import NIOEmbedded
import PAGITLS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let context: TLSContext = {
    guard let directory = getenv("PAGI_TLS_FUZZ_DIR").map({ String(cString: $0) }) else {
        preconditionFailure("set PAGI_TLS_FUZZ_DIR to a directory holding server-chain.pem and server.key")
    }
    do {
        return try TLSContext(
            configuration: TLSConfiguration(
                certificateChainFile: directory + "/server-chain.pem",
                privateKeyFile: directory + "/server.key",
                applicationProtocols: ["h2", "http/1.1"]
            )
        )
    } catch {
        preconditionFailure("\(error)")
    }
}()

/// Notes whether the handshake event arrived, to tell legitimate plaintext from a leak.
private final class HandshakeWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    var handshakeCompleted = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is TLSHandshakeCompletedEvent { self.handshakeCompleted = true }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard self.handshakeCompleted else {
            preconditionFailure("plaintext passed on before the handshake completed")
        }
        context.fireChannelRead(data)
    }
}

/// SwiftPM links executables with `main` aliased to `<module>_main`, which a `-parse-as-library` build without
/// an entry point leaves undefined. So the fuzzer has its own entry point and hands over to libFuzzer's driver
/// (`LLVMFuzzerRunDriver`, libFuzzer's documented API for exactly this); libFuzzer's own `main` is then unused.
@main
enum FuzzTLSServerHandlerMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(runFuzzerDriver(&argc, &argv, fuzz))
    }
}

// Three pointer-sized arguments and an int result: the Swift and C calling conventions agree.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    guard let selector = bytes.first else { return 0 }
    let payload = bytes.dropFirst()
    let chunkSize = selector == 0 ? max(payload.count, 1) : 1 + Int(selector % 64)

    let channel = EmbeddedChannel()
    let watcher = HandshakeWatcher()
    do {
        try channel.pipeline.syncOperations.addHandler(TLSServerHandler(context: context))
        try channel.pipeline.syncOperations.addHandler(watcher)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
    } catch {
        preconditionFailure("setting up the channel failed: \(error)")
    }

    var offset = payload.startIndex
    while offset < payload.endIndex, channel.isActive {
        let end = min(offset + chunkSize, payload.endIndex)
        var buffer = channel.allocator.buffer(capacity: end - offset)
        buffer.writeBytes(payload[offset..<end])
        offset = end
        do {
            try channel.writeInbound(buffer)
        } catch is TLSConnectionError {
            guard !channel.isActive else { preconditionFailure("channel still active after a TLS failure") }
        } catch {
            preconditionFailure("unexpected error type: \(error)")
        }
    }
    // Drain what the server wrote (alerts, ServerHello) so nothing is retained across runs.
    while (try? channel.readOutbound(as: ByteBuffer.self)) != nil {}
    _ = try? channel.finish(acceptAlreadyClosed: true)
    return 0
}
