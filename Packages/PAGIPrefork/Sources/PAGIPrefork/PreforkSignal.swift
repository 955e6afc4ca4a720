#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A POSIX signal, parsed from the names operators write (`TERM`, `SIGUSR1`, `hup`, or a number).
public struct PreforkSignal: Sendable, Hashable, CustomStringConvertible {
    /// The signal number.
    public var rawValue: Int32

    /// Wraps a signal number.
    public init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// Parses a signal name with or without the `SIG` prefix, in any case, or a decimal signal number.
    ///
    /// Returns `nil` for unknown names and for numbers outside `1...64`.
    public init?(name: String) {
        if let number = Int32(name) {
            guard (1...64).contains(number) else { return nil }
            self.rawValue = number
            return
        }
        var upper = name.uppercased()
        if upper.hasPrefix("SIG") { upper.removeFirst(3) }
        guard let entry = Self.names.first(where: { $0.name == upper }) else { return nil }
        self.rawValue = entry.number
    }

    /// The name without the `SIG` prefix (`TERM`), or the number if it has no common name.
    public var name: String {
        Self.names.first(where: { $0.number == self.rawValue })?.name ?? String(self.rawValue)
    }

    public var description: String { self.name }

    /// Every signal name `init(name:)` accepts, for help texts and error messages.
    public static var knownNames: [String] { Self.names.map(\.name) }

    /// `SIGHUP`.
    public static let hangup = PreforkSignal(rawValue: SIGHUP)
    /// `SIGINT`.
    public static let interrupt = PreforkSignal(rawValue: SIGINT)
    /// `SIGTERM`.
    public static let terminate = PreforkSignal(rawValue: SIGTERM)
    /// `SIGKILL`.
    public static let kill = PreforkSignal(rawValue: SIGKILL)
    /// `SIGQUIT`.
    public static let quit = PreforkSignal(rawValue: SIGQUIT)
    /// `SIGUSR1`.
    public static let user1 = PreforkSignal(rawValue: SIGUSR1)
    /// `SIGUSR2`.
    public static let user2 = PreforkSignal(rawValue: SIGUSR2)
    /// `SIGTTIN`.
    public static let ttin = PreforkSignal(rawValue: SIGTTIN)
    /// `SIGTTOU`.
    public static let ttou = PreforkSignal(rawValue: SIGTTOU)
    /// `SIGCHLD`.
    public static let child = PreforkSignal(rawValue: SIGCHLD)

    private static let names: [(name: String, number: Int32)] = [
        ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("ILL", SIGILL), ("TRAP", SIGTRAP), ("ABRT", SIGABRT),
        ("BUS", SIGBUS), ("FPE", SIGFPE), ("KILL", SIGKILL), ("USR1", SIGUSR1), ("SEGV", SIGSEGV), ("USR2", SIGUSR2),
        ("PIPE", SIGPIPE), ("ALRM", SIGALRM), ("TERM", SIGTERM), ("CHLD", SIGCHLD), ("CONT", SIGCONT),
        ("STOP", SIGSTOP), ("TSTP", SIGTSTP), ("TTIN", SIGTTIN), ("TTOU", SIGTTOU), ("URG", SIGURG),
        ("XCPU", SIGXCPU), ("XFSZ", SIGXFSZ), ("VTALRM", SIGVTALRM), ("PROF", SIGPROF), ("WINCH", SIGWINCH),
        ("IO", SIGIO), ("SYS", SIGSYS),
    ]
}
