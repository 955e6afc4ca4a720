/// The protocol through which a parent handed a listening socket to this process.
public enum InheritanceSource: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Our own hot-restart handoff, `PAGI_REUSE`.
    case pagiReuse
    /// systemd socket activation, `LISTEN_FDS`/`LISTEN_PID`/`LISTEN_FDNAMES`.
    case systemd
    /// Server::Starter or our `start_server`, `SERVER_STARTER_PORT`.
    case serverStarter

    /// The environment variable name (or `systemd` for the `LISTEN_*` family), as log lines print it.
    public var description: String {
        switch self {
        case .pagiReuse: "PAGI_REUSE"
        case .systemd: "systemd"
        case .serverStarter: "SERVER_STARTER_PORT"
        }
    }
}

/// A listening socket a parent handed down, verified and owned by this process.
public struct InheritedListener: Sendable {
    /// The adopted socket; its ``ListeningSocket/address`` is the kernel's, not the declared text.
    public let socket: ListeningSocket
    /// The handoff protocol it came through.
    public let source: InheritanceSource
    /// The environment entry that named it, verbatim (`127.0.0.1:5000=3`, `unix:/run/a.sock:4`,
    /// `LISTEN_FDS fd 3`), for log lines.
    public let entry: String
    /// The address the entry declared; `nil` for systemd, which declares none.
    public let declaredSpec: ListenerSpec?
    /// The systemd name from `LISTEN_FDNAMES`, when given.
    public let name: String?

    /// The verified address.
    public var address: ListenerAddress { self.socket.address }
    /// The descriptor number.
    public var descriptor: Int32 { self.socket.descriptor }
}
