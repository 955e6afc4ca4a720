// Helpers for the pagi-server black-box tests: start the real binary on a free port, and talk to
// it over raw loopback sockets (for malformed input, pipelining and half-closes curl cannot send).

import Foundation
import Testing

/// A running `pagi-server` and the port it bound.
struct ServerUnderTest {
    let process: RunningProcess
    let port: Int

    /// Starts `pagi-server` with `--port 0` (unless the arguments choose a listener) and waits for its banner.
    static func start(_ arguments: [String], environment: [String: String]? = nil) async throws -> ServerUnderTest {
        let choosesListener = arguments.contains { $0 == "--listen" || $0 == "--socket" || $0 == "--port" || $0 == "-p" }
        let process = try RunningProcess("pagi-server", (choosesListener ? [] : ["--port", "0"]) + arguments, environment: environment)
        let banner = try await process.waitForLine("startup banner") { $0.contains("PAGI Server listening on") }
        var port = 0
        if let range = banner.range(of: #":(\d+)/"#, options: .regularExpression) {
            port = Int(banner[range].dropFirst().dropLast()) ?? 0
        }
        return ServerUnderTest(process: process, port: port)
    }

    var url: String { "http://127.0.0.1:\(self.port)" }
}

/// A blocking loopback TCP (or Unix) client socket with a receive timeout.
final class RawConnection: @unchecked Sendable {
    // Used by one test task at a time; the descriptor is closed once in `close()`/deinit.
    private var descriptor: Int32

    init(port: Int) throws {
        self.descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw BlackBoxError.timedOut("connect to 127.0.0.1:\(port) (errno \(errno))") }
        self.setTimeout(seconds: 10)
    }

    init(unixPath: String) throws {
        self.descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in unixPath.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(self.descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw BlackBoxError.timedOut("connect to unix:\(unixPath) (errno \(errno))") }
        self.setTimeout(seconds: 10)
    }

    private func setTimeout(seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(self.descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(self.descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) {
        self.send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.send(self.descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Half-closes the sending side (the server sees EOF).
    func shutdownWrite() {
        shutdown(self.descriptor, Int32(SHUT_WR))
    }

    /// Reads until the server closes the connection (or the timeout), returning everything read.
    func readToEnd() -> String {
        var collected: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            collected.append(contentsOf: chunk[..<count])
        }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Reads until `predicate` holds for everything read so far (or EOF/timeout).
    func read(until predicate: (String) -> Bool) -> String {
        var collected: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while !predicate(String(decoding: collected, as: UTF8.self)) {
            let count = chunk.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            collected.append(contentsOf: chunk[..<count])
        }
        return String(decoding: collected, as: UTF8.self)
    }

    /// Reads whatever arrives next (at most 64 KiB); empty at EOF or timeout.
    func receiveBytes() -> [UInt8] {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(self.descriptor, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(chunk[..<count]) : []
    }

    /// Whether the server closed the connection (a read returns EOF).
    func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        return recv(self.descriptor, &byte, 1, 0) == 0
    }

    func close() {
        if self.descriptor >= 0 {
            Foundation.close(self.descriptor)
            self.descriptor = -1
        }
    }

    deinit { self.close() }
}

/// Counts non-overlapping occurrences of `needle`.
func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}
