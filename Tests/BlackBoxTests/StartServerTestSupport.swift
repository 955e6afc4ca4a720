// Helpers for the start_server black-box tests: a scratch directory per test, small shell children, and
// waits on files the supervisor writes (status file, pid file, child reports).

import Foundation
import Testing

/// A scratch directory removed when the test ends; also stops the supervisor if a test left it running.
final class StartServerSandbox: @unchecked Sendable {
    // Invariant: set once in init, read-only afterwards.
    let path: String

    init() throws {
        // Short paths: unix socket paths must fit in 108 bytes.
        let base = "/tmp/ssbb-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        self.path = base
    }

    deinit {
        try? FileManager.default.removeItem(atPath: self.path)
    }

    func file(_ name: String) -> String { "\(self.path)/\(name)" }

    /// Writes an executable shell script and returns its path.
    func script(_ name: String, _ body: String) throws -> String {
        let path = self.file(name)
        try ("#!/bin/sh\n" + body).write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// A child that appends "start GEN PID" to `report`, records received signals, and serves until TERM.
    func reportingChild(report: String = "report") throws -> String {
        try self.script(
            "child.sh",
            """
            echo "start $SERVER_STARTER_GENERATION $$ port=$SERVER_STARTER_PORT foo=$FOO" >> \(self.file(report))
            trap 'echo "TERM $SERVER_STARTER_GENERATION $$" >> \(self.file(report)); exit 0' TERM
            trap 'echo "USR1 $SERVER_STARTER_GENERATION $$" >> \(self.file(report)); exit 0' USR1
            while true; do sleep 0.05; done
            """
        )
    }

    func read(_ name: String) -> String {
        (try? String(contentsOfFile: self.file(name), encoding: .utf8)) ?? ""
    }

    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: self.file(name))
    }

    /// Waits until `check` returns a value, checking every 20 ms (the supervisor writes files, it does not notify us).
    @discardableResult
    func waitFor<T: Sendable>(_ what: String, timeout: Duration = .seconds(20), _ check: @escaping @Sendable () -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = check() { return value }
            try await Task.sleep(for: .milliseconds(20))
        }
        if let value = check() { return value }
        throw BlackBoxError.timedOut(what)
    }

    /// Waits until the status file holds exactly these generations and returns its children (gen → pid).
    @discardableResult
    func waitForStatus(_ generations: [Int], file: String = "status") async throws -> [(generation: Int, pid: Int32)] {
        try await self.waitFor("status file with generations \(generations) (now: \(self.read(file)))") {
            let entries = self.status(file)
            return entries.map(\.generation) == generations ? entries : nil
        }
    }

    func status(_ file: String = "status") -> [(generation: Int, pid: Int32)] {
        self.read(file).split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ":")
            guard parts.count == 2, let generation = Int(parts[0]), let pid = Int32(parts[1]) else { return nil }
            return (generation, pid)
        }
    }
}

/// Whether a process exists and has not exited (a zombie waiting for its reaper counts as exited).
func processIsAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let close = stat.lastIndex(of: ")")
    else { return false }
    return !stat[stat.index(after: close)...].hasPrefix(" Z")
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
func freeLoopbackPort() throws -> UInt16 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
            bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
        }
    }
    guard bound else { throw BlackBoxError.timedOut("a free port (bind failed)") }
    return UInt16(bigEndian: address.sin_port)
}

/// Whether 127.0.0.1:`port` accepts TCP connections.
func loopbackAccepts(_ port: UInt16) -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = port.bigEndian
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
    }
}
