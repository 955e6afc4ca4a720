#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a child process ended: a normal exit with a code, or death by a signal.
public enum ChildTermination: Sendable, Hashable, CustomStringConvertible {
    /// The child called `exit` with this code.
    case exited(Int32)
    /// The child was killed by this signal.
    case signaled(Int32)

    /// Decodes a `waitpid` status word.
    public init(waitStatus status: Int32) {
        // WIFEXITED/WEXITSTATUS are macros Swift cannot import; these are their Linux/BSD definitions.
        let signal = status & 0x7f
        if signal == 0 {
            self = .exited((status >> 8) & 0xff)
        } else {
            self = .signaled(signal)
        }
    }

    /// The status word as `waitpid` reported it (exit code shifted left by 8, or the signal number).
    ///
    /// Server::Starter prints this raw form in `status:N` log lines; we keep it so log scrapers keep working.
    public var waitStatus: Int32 {
        switch self {
        case .exited(let code): code << 8
        case .signaled(let signal): signal
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): "exit code \(code)"
        case .signaled(let signal): "signal \(PreforkSignal(rawValue: signal))"
        }
    }
}
