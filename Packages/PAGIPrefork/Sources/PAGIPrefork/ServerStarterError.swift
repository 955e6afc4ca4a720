/// Why `start_server` refused to start or a client mode failed. Each description says what failed and what to
/// change.
public enum ServerStarterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `--port` value could not be parsed.
    case invalidPort(String, reason: String)
    /// A listener could not be created.
    case listenFailed(String, reason: String)
    /// The pid file is held by another running start_server.
    case pidFileLocked(path: String)
    /// A file (pid file, status file, log file) could not be opened.
    case cannotOpen(path: String, purpose: String, reason: String)
    /// `--envdir` could not be read.
    case envdirUnreadable(path: String, reason: String)
    /// `--restart`/`--stop` found no usable pid in the pid file.
    case noServerPid(path: String)
    /// `--restart` found no generation in the status file.
    case noActiveGeneration(path: String)
    /// Sending a signal to the server failed.
    case signalFailed(pid: Int32, reason: String)
    /// Daemonizing failed.
    case daemonizeFailed(reason: String)

    public var description: String {
        switch self {
        case .invalidPort(let spec, let reason):
            "invalid --port value '\(spec)': \(reason); use PORT, HOST:PORT, [V6ADDR]:PORT, optionally uPORT for UDP and =FD"
        case .listenFailed(let spec, let reason):
            "failed to listen to \(spec): \(reason)"
        case .pidFileLocked(let path):
            "failed to obtain exclusive lock on pid file \(path): another start_server is running; stop it or use another --pid-file"
        case .cannotOpen(let path, let purpose, let reason):
            "failed to open \(purpose) \(path): \(reason); check that the directory exists and is writable"
        case .envdirUnreadable(let path, let reason):
            "failed to read --envdir \(path): \(reason)"
        case .noServerPid(let path):
            "no server pid found in pid file \(path); is start_server running with --pid-file=\(path)?"
        case .noActiveGeneration(let path):
            "no active process found in the status file \(path); is start_server running with --status-file=\(path)?"
        case .signalFailed(let pid, let reason):
            "failed to send a signal to start_server (pid \(pid)): \(reason)"
        case .daemonizeFailed(let reason):
            "failed to daemonize: \(reason)"
        }
    }
}
