// Shared helpers for the black-box tests: locate the built executables, run them as a user would,
// and wait for events (output lines, exits) with deadlines instead of sleeps.

import Foundation
import Testing

/// Where the built executables are: `$PAGI_BIN_DIR` (set by `make test`), else next to this test bundle.
func binDirectory() -> URL {
    if let dir = ProcessInfo.processInfo.environment["PAGI_BIN_DIR"], !dir.isEmpty {
        return URL(fileURLWithPath: dir)
    }
    // SwiftPM puts test bundles and executables in the same build products folder.
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("pagi-server").path) {
            return url
        }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug")
}

/// The path of a built executable.
func executable(_ name: String) -> String {
    binDirectory().appendingPathComponent(name).path
}

/// The outcome of a finished command.
struct CommandResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum BlackBoxError: Error, CustomStringConvertible {
    case timedOut(String)
    var description: String {
        switch self {
        case .timedOut(let what): "timed out waiting for \(what)"
        }
    }
}

/// Runs an executable to completion with a deadline, returning its exit status and output.
func runCommand(
    _ name: String,
    _ arguments: [String],
    environment: [String: String]? = nil,
    stdin: String? = nil,
    timeout: Duration = .seconds(30)
) async throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: name.hasPrefix("/") ? name : executable(name))
    process.arguments = arguments
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    let exited = AsyncStream<Int32>.makeStream()
    process.terminationHandler = { exited.continuation.yield($0.terminationStatus); exited.continuation.finish() }
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try? input.fileHandleForWriting.close()
    // Both pipes drain on reader threads, so a chatty child cannot block on a full pipe.
    let stdoutCollector = PipeReader(out.fileHandleForReading)
    let stderrCollector = PipeReader(err.fileHandleForReading)
    let status = try await withDeadline(timeout, what: "\(name) \(arguments.joined(separator: " ")) to exit", onTimeout: { process.terminate() }) {
        var iterator = exited.stream.makeAsyncIterator()
        return await iterator.next() ?? -1
    }
    return CommandResult(
        status: status,
        stdout: String(decoding: await stdoutCollector.finish(), as: UTF8.self),
        stderr: String(decoding: await stderrCollector.finish(), as: UTF8.self)
    )
}

/// Reads a pipe to end of file on a thread of its own: never on Swift's cooperative pool (two threads
/// here, so two blocked readers would stall every test), and not through `readabilityHandler`, whose
/// dispatch source can outlive the descriptor and crash libdispatch's event loop.
final class PipeReader: @unchecked Sendable {
    // Invariant: `data` and `ended` are only touched under `lock`.
    private let lock = NSLock()
    private var data = Data()
    private var ended = false

    /// Starts reading `handle`; `onChunk` (optional) sees each chunk on the reader thread, in order.
    init(_ handle: FileHandle, onChunk: (@Sendable (Data) -> Void)? = nil) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                onChunk?(chunk)
                self.lock.withLock { self.data.append(chunk) }
            }
            self.lock.withLock { self.ended = true }
        }
        thread.start()
    }

    /// Whether end of file has been read.
    var isAtEnd: Bool { self.lock.withLock { self.ended } }

    /// Waits (bounded) for end of file and returns what was read. The bound matters when a concurrently
    /// spawned long-running child inherited the pipe's write end: end of file would then never come.
    func finish(within limit: Duration = .seconds(5)) async -> Data {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline, !self.isAtEnd {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return self.lock.withLock { self.data }
    }
}

/// Runs `body`, failing with ``BlackBoxError/timedOut(_:)`` (after calling `onTimeout`) if it takes longer than `timeout`.
func withDeadline<T: Sendable>(
    _ timeout: Duration,
    what: String,
    onTimeout: @escaping @Sendable () -> Void = {},
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        guard let first = try await group.next(), let value = first else {
            onTimeout()
            group.cancelAll()
            throw BlackBoxError.timedOut(what)
        }
        group.cancelAll()
        return value
    }
}

/// A long-running child process (a server, a supervisor) whose output lines can be awaited.
final class RunningProcess: @unchecked Sendable {
    // Invariant: `lines` and `exitStatus` are only touched under `lock`.
    let process = Process()
    private let lock = NSLock()
    private var lines: [String] = []
    private var partial = ""
    private var exitStatus: Int32?
    private var reader: PipeReader?

    /// Starts `name` (an executable in the build folder, or an absolute path).
    init(_ name: String, _ arguments: [String], environment: [String: String]? = nil, currentDirectory: String? = nil) throws {
        self.process.executableURL = URL(fileURLWithPath: name.hasPrefix("/") ? name : executable(name))
        self.process.arguments = arguments
        if let environment {
            self.process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        if let currentDirectory { self.process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let pipe = Pipe()
        self.process.standardOutput = pipe
        self.process.standardError = pipe
        self.process.standardInput = FileHandle.nullDevice
        self.reader = PipeReader(pipe.fileHandleForReading) { [weak self] data in
            guard let self else { return }
            self.lock.withLock {
                self.partial += String(decoding: data, as: UTF8.self)
                while let newline = self.partial.firstIndex(of: "\n") {
                    self.lines.append(String(self.partial[..<newline]))
                    self.partial = String(self.partial[self.partial.index(after: newline)...])
                }
            }
        }
        self.process.terminationHandler = { [weak self] process in
            guard let self else { return }
            self.lock.withLock { self.exitStatus = process.terminationStatus }
        }
        try self.process.run()
    }

    var pid: Int32 { self.process.processIdentifier }

    /// Every complete output line (stdout and stderr interleaved) so far.
    var output: [String] { self.lock.withLock { self.lines } }

    /// The exit status once the process has exited.
    var status: Int32? { self.lock.withLock { self.exitStatus } }

    /// Waits until an output line satisfies `predicate`, returning it.
    @discardableResult
    func waitForLine(timeout: Duration = .seconds(20), _ what: String, where predicate: @escaping @Sendable (String) -> Bool) async throws -> String {
        try await self.poll(timeout: timeout, what: "output line: \(what) (output so far: \(self.output.suffix(20)))") {
            self.output.first(where: predicate)
        }
    }

    /// Waits for the process to exit, returning its status; ``output`` then holds everything it wrote.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(20)) async throws -> Int32 {
        let status = try await self.poll(timeout: timeout, what: "exit of pid \(self.pid)") { self.status }
        // The exit and the last output arrive on different Foundation threads: wait (bounded — a child
        // that inherited the pipe may hold it open) for end of file so no final line is missed.
        let deadline = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < deadline, self.lock.withLock({ self.reader?.isAtEnd }) != true {
            try await Task.sleep(for: .milliseconds(5))
        }
        return status
    }

    /// Sends a signal.
    func signal(_ signal: Int32) {
        kill(self.pid, signal)
    }

    /// Kills the process if it is still running (tests call this in `defer`).
    func stop() {
        guard self.status == nil else { return }
        kill(self.pid, SIGKILL)
        // Bounded, not `waitUntilExit()`: if anything else in this process reaped the child, Foundation
        // never reports the exit, and an unbounded wait would hold a cooperative thread forever.
        let deadline = ContinuousClock.now + .seconds(5)
        while self.status == nil && ContinuousClock.now < deadline { usleep(5_000) }
    }

    // Output and exit arrive on Foundation's handler threads; checking every 10 ms keeps the
    // tests event-driven without wiring a continuation through those handlers.
    private func poll<T: Sendable>(timeout: Duration, what: String, _ check: @escaping @Sendable () -> T?) async throws -> T {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let value = check() { return value }
            try await Task.sleep(for: .milliseconds(10))
        }
        if let value = check() { return value }
        throw BlackBoxError.timedOut(what)
    }
}
