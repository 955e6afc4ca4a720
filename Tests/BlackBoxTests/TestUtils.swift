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
    let child = try ChildProcess(
        path: name.hasPrefix("/") ? name : executable(name), arguments: arguments,
        environment: environment, input: stdin.map { Array($0.utf8) } ?? [], separateStandardError: true)
    // Both pipes drain on reader threads, so a chatty child cannot block on a full pipe.
    let stdoutCollector = PipeReader(child.standardOutput)
    let stderrCollector = PipeReader(child.standardError ?? child.standardOutput)
    let status = try await withDeadline(timeout, what: "\(name) \(arguments.joined(separator: " ")) to exit", onTimeout: { kill(child.pid, SIGKILL) }) {
        while true {
            if let status = child.status { return status }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
    return CommandResult(
        status: status,
        stdout: String(decoding: await stdoutCollector.finish(), as: UTF8.self),
        stderr: String(decoding: await stderrCollector.finish(), as: UTF8.self)
    )
}

/// A child process started with `posix_spawn` and reaped by its own pid.
///
/// Not Foundation's `Process`: its single monitor for all children stalled in this multi-process
/// test run (a supervisor under test reaping, or one long-lived child, held every other exit back),
/// which turned into timeouts all over the suite. Here each test reaps only its own child
/// (`waitpid(pid, WNOHANG)`), the child starts with no blocked signals and default dispositions (as
/// from a shell), and only descriptors 0-2 reach it.
final class ChildProcess: @unchecked Sendable {
    /// The child's pid.
    let pid: Int32
    /// The read end of the child's stdout (and stderr, unless separated).
    let standardOutput: FileHandle
    /// The read end of the child's stderr when separated.
    let standardError: FileHandle?
    // Invariant: `exitStatus` is only touched under `lock`.
    private let lock = NSLock()
    private var exitStatus: Int32?

    init(path: String, arguments: [String], environment: [String: String]?, currentDirectory: String? = nil, input: [UInt8] = [], separateStandardError: Bool) throws {
        let output = try Self.makePipe()
        let errors = separateStandardError ? try Self.makePipe() : nil
        let stdin = try Self.makePipe()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin.read, 0)
        posix_spawn_file_actions_adddup2(&actions, output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, errors?.write ?? output.write, 2)
        if let currentDirectory {
            guard let addChdir = Self.addChdir else { throw SpawnError("posix_spawn_file_actions_addchdir_np is unavailable") }
            _ = currentDirectory.withCString { addChdir(&actions, $0) }
        }
        // Everything above stderr stays behind, whatever its close-on-exec flag (other tests spawn
        // concurrently; a leaked pipe end would keep someone's end of file from ever arriving).
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        sigdelset(&allSignals, SIGKILL)
        sigdelset(&allSignals, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var merged = ProcessInfo.processInfo.environment
        if let environment { merged.merge(environment) { _, new in new } }
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: Int32 = 0
        let result = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        close(output.write)
        if let errors { close(errors.write) }
        close(stdin.read)
        guard result == 0 else {
            close(output.read)
            if let errors { close(errors.read) }
            close(stdin.write)
            throw SpawnError("posix_spawn \(path): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        self.standardOutput = FileHandle(fileDescriptor: output.read, closeOnDealloc: true)
        self.standardError = errors.map { FileHandle(fileDescriptor: $0.read, closeOnDealloc: true) }
        // Small inputs only (tests): written at once, then end of file.
        if !input.isEmpty {
            input.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(stdin.write, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                    if written <= 0 { if errno == EINTR { continue }; break }
                    offset += written
                }
            }
        }
        close(stdin.write)
    }

    /// The exit status once the child has exited (exit code, or the signal number that ended it, as
    /// Foundation's `terminationStatus` reports), reaping it on first sight; nil while it runs.
    var status: Int32? {
        self.lock.withLock {
            if let exitStatus { return exitStatus }
            var raw: Int32 = 0
            var reaped: Int32
            repeat { reaped = waitpid(self.pid, &raw, WNOHANG) } while reaped == -1 && errno == EINTR
            guard reaped == self.pid else { return nil }
            let signal = raw & 0x7f
            self.exitStatus = signal == 0 ? (raw >> 8) & 0xff : signal
            return self.exitStatus
        }
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [-1, -1]
        guard let pipe2 = Self.pipe2, pipe2(&descriptors, O_CLOEXEC) == 0 else {
            throw SpawnError("pipe2: \(String(cString: strerror(errno)))")
        }
        return (descriptors[0], descriptors[1])
    }

    // glibc functions the Glibc module does not import (they need _GNU_SOURCE); looked up once.
    private typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let pipe2: Pipe2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2").map { unsafeBitCast($0, to: Pipe2.self) }
    private static let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np").map { unsafeBitCast($0, to: AddCloseFrom.self) }
    private static let addChdir: AddChdir? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
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
    // Invariant: `lines` and `partial` are only touched under `lock`.
    private let child: ChildProcess
    private let lock = NSLock()
    private var lines: [String] = []
    private var partial = ""
    private var reader: PipeReader?

    /// Starts `name` (an executable in the build folder, or an absolute path).
    init(_ name: String, _ arguments: [String], environment: [String: String]? = nil, currentDirectory: String? = nil) throws {
        self.child = try ChildProcess(
            path: name.hasPrefix("/") ? name : executable(name), arguments: arguments, environment: environment,
            currentDirectory: currentDirectory, separateStandardError: false)
        self.reader = PipeReader(self.child.standardOutput) { [weak self] data in
            guard let self else { return }
            self.lock.withLock {
                self.partial += String(decoding: data, as: UTF8.self)
                while let newline = self.partial.firstIndex(of: "\n") {
                    self.lines.append(String(self.partial[..<newline]))
                    self.partial = String(self.partial[self.partial.index(after: newline)...])
                }
            }
        }
    }

    var pid: Int32 { self.child.pid }

    /// Every complete output line (stdout and stderr interleaved) so far.
    var output: [String] { self.lock.withLock { self.lines } }

    /// The exit status once the process has exited.
    var status: Int32? { self.child.status }

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
        // The exit is seen by polling, the last output by the reader thread: wait (bounded — a grandchild
        // may still hold the pipe open) for end of file so no final line is missed.
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
        // Bounded: should anything else in this process have reaped the child, its exit is never seen,
        // and an unbounded wait would hold a cooperative thread forever.
        let deadline = ContinuousClock.now + .seconds(5)
        while self.status == nil && ContinuousClock.now < deadline { usleep(5_000) }
    }

    // Output arrives on the reader thread and the exit is polled; checking every 10 ms keeps the
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
