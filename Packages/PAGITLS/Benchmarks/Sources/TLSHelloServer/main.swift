// Benchmark server: HelloResponder (BenchmarkHTTP) behind PAGITLS's TLSServerHandler, on one event-loop
// thread, like nginx with one worker.
//
// Usage: TLSHelloServer <port> <cert-chain.pem> <key.pem> [--plaintext]

import BenchmarkHTTP
import NIOCore
import NIOPosix
import PAGITLS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 4, let port = Int(arguments[1]) else {
    print("usage: TLSHelloServer <port> <cert-chain.pem> <key.pem> [--plaintext]")
    exit(64)
}
let plaintext = arguments.contains("--plaintext")
let tls: TLSContext
do {
    tls = try TLSContext(configuration: TLSConfiguration(certificateChainFile: arguments[2], privateKeyFile: arguments[3]))
} catch {
    print("\(error)")
    exit(1)
}

let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
let channel = try ServerBootstrap(group: group)
    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
    .serverChannelOption(.backlog, value: 1024)
    .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
    .childChannelInitializer { channel in
        channel.eventLoop.makeCompletedFuture {
            if !plaintext {
                try channel.pipeline.syncOperations.addHandler(TLSServerHandler(context: tls))
            }
            try channel.pipeline.syncOperations.addHandler(HelloResponder())
        }
    }
    .bind(host: "127.0.0.1", port: port)
    .wait()
print("listening on 127.0.0.1:\(port) (\(plaintext ? "plaintext" : "TLS"))")
try channel.closeFuture.wait()
