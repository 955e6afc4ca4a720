/// How ``ListeningSocket/bind(_:configuration:)`` creates a listener.
public struct ListenerConfiguration: Sendable, Hashable {
    /// The `listen` backlog: how many completed connections the kernel queues before `accept`.
    ///
    /// Default 4096 (Linux `SOMAXCONN` since 5.4, and start_server's default). The kernel silently
    /// caps it at `net.core.somaxconn`; raising it past that has no effect, lowering it makes
    /// bursts of new connections see resets under load.
    public var backlog: Int32

    /// Set `SO_REUSEADDR` so a restarted server can bind while old connections sit in TIME_WAIT.
    /// Default `true`, as start_server always does.
    public var reuseAddress: Bool

    /// Set `SO_REUSEPORT` so several processes can bind the same port and the kernel balances
    /// between them. Default `false`: with it on, a stray second server silently shares the port
    /// instead of failing to bind. Never applies to unix sockets.
    public var reusePort: Bool

    /// Permission bits of a unix socket file. Default `0o600` (owner only), what the reference
    /// server produces; start_server passes `0o777` (it binds under umask 0). The socket is bound
    /// under `umask(0177)` so it is never briefly more open than 0600, then `chmod`ed to this.
    public var unixSocketMode: UInt32

    /// Remove an existing socket file at a unix path when no server answers on it (left behind by
    /// a crash). Default `true`. A path holding anything other than a socket, or a socket a live
    /// server accepts on, is never removed: binding fails instead.
    public var removesStaleUnixSocket: Bool

    /// Creates a configuration; every parameter has the documented default.
    public init(
        backlog: Int32 = 4096,
        reuseAddress: Bool = true,
        reusePort: Bool = false,
        unixSocketMode: UInt32 = 0o600,
        removesStaleUnixSocket: Bool = true
    ) {
        self.backlog = backlog
        self.reuseAddress = reuseAddress
        self.reusePort = reusePort
        self.unixSocketMode = unixSocketMode
        self.removesStaleUnixSocket = removesStaleUnixSocket
    }
}
