/// How a ``GenerationSupervisor`` decides that a new generation is up, and what it signals when.
public struct GenerationSupervisorConfiguration: Sendable, Hashable {
    /// How a freshly spawned child proves it is ready to take over.
    public enum Readiness: Sendable, Hashable {
        /// Server::Starter's rule: the child counts as started once it has stayed alive this long.
        case alive(after: Duration)
        /// The child must send `READY=1` on its `NOTIFY_SOCKET` (sd_notify) within `timeout`; a child that
        /// stays silent that long is sent SIGTERM and a new generation is tried.
        case notify(timeout: Duration)
    }

    /// How readiness is established. Default: alive after 1 second, Server::Starter's `--interval` default.
    public var readiness: Readiness
    /// The minimum time between two spawn attempts after a failed start, so a command that dies at once does
    /// not turn the supervisor into a fork bomb. Default 1 second (the original sleeps `--interval` per try).
    public var retryInterval: Duration
    /// Signal sent to the old children once the new generation is up (`--signal-on-hup`). Default SIGTERM.
    public var signalOnHangup: PreforkSignal
    /// Signal sent to every child when the supervisor gets SIGTERM (`--signal-on-term`). Default SIGTERM.
    public var signalOnTerminate: PreforkSignal
    /// Wait between "new generation is up" and signalling the old ones (`--kill-old-delay`). Default 0.
    public var killOldDelay: Duration
    /// Period of automatic HUP-style restarts, or `nil` to disable them (`--enable-auto-restart`). A restart is
    /// due once the period elapsed and no old children remain, and forced at twice the period.
    public var autoRestartInterval: Duration?

    /// Creates a configuration; every parameter defaults to Server::Starter's default.
    public init(
        readiness: Readiness = .alive(after: .seconds(1)),
        retryInterval: Duration = .seconds(1),
        signalOnHangup: PreforkSignal = .terminate,
        signalOnTerminate: PreforkSignal = .terminate,
        killOldDelay: Duration = .zero,
        autoRestartInterval: Duration? = nil
    ) {
        self.readiness = readiness
        self.retryInterval = retryInterval
        self.signalOnHangup = signalOnHangup
        self.signalOnTerminate = signalOnTerminate
        self.killOldDelay = killOldDelay
        self.autoRestartInterval = autoRestartInterval
    }
}
