// Shared helpers: run a PAGIServer in-process on a free loopback port, and a blocking raw client.

import Foundation
import PAGI
import Testing

@testable import PAGIServer

/// Runs `server` until `body` returns, then shuts it down gracefully and waits for `run` to end.
func withServer<T: Sendable>(
    _ app: @escaping PAGIApp,
    configure: (inout PAGIServerConfiguration) -> Void = { _ in },
    _ body: @Sendable (PAGIServer, Int) async throws -> T
) async throws -> T {
    var configuration = PAGIServerConfiguration()
    configuration.listeners = [.tcp(host: "127.0.0.1", port: 0)]
    configuration.accessLog = .off
    configuration.quiet = true
    configure(&configuration)
    let server = PAGIServer(configuration: configuration, app: app)
    let ready = AsyncStream<Int>.makeStream()
    let running = Task {
        try await server.run(onReady: { addresses in
            if case .tcp(_, let port) = addresses.first { ready.continuation.yield(port) }
            ready.continuation.finish()
        })
    }
    var iterator = ready.stream.makeAsyncIterator()
    guard let port = await iterator.next() else {
        try await running.value
        throw TestClientError("the server ended before binding")
    }
    do {
        let result = try await body(server, port)
        server.shutdownGracefully()
        try await running.value
        return result
    } catch {
        server.shutdownGracefully()
        try? await running.value
        throw error
    }
}

struct TestClientError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs blocking work (a socket read, a child process) on a thread of its own, never on Swift's
/// cooperative pool: that pool has as many threads as cores (two here), tests run in parallel, and
/// a blocked pool starves every task that needs it — the server's own hops included (seen in CI: a
/// request task waited 10 s for a pool thread while two blocking reads held both).
func onBlockingThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// ``onBlockingThread(_:)`` for work that cannot fail.
func onBlockingThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// A blocking TCP connection to 127.0.0.1:`port` whose reads time out after 10 s.
func connectToLoopback(port: Int) throws -> Int32 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard result == 0 else {
        let error = errno
        Foundation.close(descriptor)
        throw TestClientError("cannot connect to 127.0.0.1:\(port), errno \(error)")
    }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    return descriptor
}

/// Writes all of `bytes`, or stops quietly when the peer is gone.
func sendAll(_ bytes: [UInt8], on descriptor: Int32) {
    var offset = 0
    while offset < bytes.count {
        let written = bytes[offset...].withUnsafeBytes { Foundation.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if written <= 0 { return }
        offset += written
    }
}

/// A blocking loopback TCP client with a 10 s receive timeout; reads run on a thread of their own.
final class TestClient: @unchecked Sendable {
    // Used by one test at a time; the descriptor is closed once.
    private var descriptor: Int32

    init(port: Int) throws {
        self.descriptor = try connectToLoopback(port: port)
    }

    func send(_ text: String) {
        sendAll(Array(text.utf8), on: self.descriptor)
    }

    /// Reads until `predicate` holds for everything read so far, EOF, or the timeout.
    func read(until predicate: @escaping @Sendable (String) -> Bool = { _ in false }) async -> String {
        await onBlockingThread {
            var collected: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while !predicate(String(decoding: collected, as: UTF8.self)) {
                let count = chunk.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                collected.append(contentsOf: chunk[..<count])
            }
            return String(decoding: collected, as: UTF8.self)
        }
    }

    func close() {
        if self.descriptor >= 0 {
            Foundation.close(self.descriptor)
            self.descriptor = -1
        }
    }

    deinit { self.close() }
}

/// Sends one raw request on a fresh connection and returns everything until the server closes.
func exchange(port: Int, _ request: String) async throws -> String {
    let client = try TestClient(port: port)
    client.send(request)
    return await client.read()
}
