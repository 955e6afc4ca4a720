#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Severity of a server log line, least severe first.
public enum PAGIServerLogLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Diagnostics for developers.
    case debug
    /// Normal operation: the startup banner, lifespan notes.
    case info
    /// Something went wrong but the server carries on.
    case warn
    /// A failure.
    case error

    private var rank: Int {
        switch self {
        case .debug: 0
        case .info: 1
        case .warn: 2
        case .error: 3
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}

/// Writes server log lines to standard error (server-behaviour §11).
///
/// A line is printed when its level is at or above the configured level and, in quiet mode, only
/// when it is an error. Application errors bypass both filters, as in the reference server.
/// `package`: the CLI's process layer (master, signals) logs through it too.
package struct ServerLogger: Sendable {
    var level: PAGIServerLogLevel
    var quiet: Bool
    /// Where a finished line goes: standard error, or a test's collector.
    var sink: @Sendable (String) -> Void

    package init(level: PAGIServerLogLevel, quiet: Bool, sink: @escaping @Sendable (String) -> Void = ServerLogger.writeLine) {
        self.level = level
        self.quiet = quiet
        self.sink = sink
    }

    func isEnabled(_ level: PAGIServerLogLevel) -> Bool {
        if self.quiet { return level == .error }
        return level >= self.level
    }

    package func log(_ level: PAGIServerLogLevel, _ message: @autoclosure () -> String) {
        guard self.isEnabled(level) else { return }
        self.sink(message())
    }

    /// Logs an application failure: always printed, whatever the level and quiet mode.
    func applicationError(_ message: String) {
        self.sink(message)
    }

    // One write(2) per line so lines from different threads never interleave; stderr is
    // unbuffered, and these lines are rare (startup, warnings, app errors), so blocking the loop
    // for one short write is acceptable here — the access log, which is per request, is not
    // written this way.
    package static func writeLine(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
