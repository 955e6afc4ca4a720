// Benchmark server: HelloResponder (BenchmarkHTTP) behind swift-nio-ssl's NIOSSLServerHandler (BoringSSL), on
// one event-loop thread — the same server as TLSHelloServer with the other TLS stack, for comparison.
//
// Usage: NIOSSLHelloServer <port> <cert-chain.pem> <key.pem>

import BenchmarkHTTP
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let arguments = CommandLine.arguments
guard arguments.count >= 4, let port = Int(arguments[1]) else {
    print("usage: NIOSSLHelloServer <port> <cert-chain.pem> <key.pem>")
    exit(64)
}
let sslContext: NIOSSLContext
do {
    var configuration = TLSConfiguration.makeServerConfiguration(
        certificateChain: try NIOSSLCertificate.fromPEMFile(arguments[2]).map { .certificate($0) },
        privateKey: .privateKey(try NIOSSLPrivateKey(file: arguments[3], format: .pem))
    )
    configuration.minimumTLSVersion = .tlsv12
    configuration.applicationProtocols = ["http/1.1"]
    sslContext = try NIOSSLContext(configuration: configuration)
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
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
            try channel.pipeline.syncOperations.addHandler(HelloResponder())
        }
    }
    .bind(host: "127.0.0.1", port: port)
    .wait()
print("listening on 127.0.0.1:\(port) (swift-nio-ssl)")
try channel.closeFuture.wait()
