/// How long the lifespan driver waits for the application (server-behaviour §20).
///
/// Both phases are bounded: the protocol forbids blocking startup forever (protocol §10.3), and a
/// server that waits without limit for `lifespan.shutdown.complete` can never be stopped by its
/// supervisor.
public struct PAGILifespanConfiguration: Sendable, Hashable {
    /// How long ``PAGILifespanDriver/startup()`` waits for `lifespan.startup.complete` or
    /// `lifespan.startup.failed`. Default: 60 seconds.
    ///
    /// The reference server has no startup timeout at all, so a hung application blocks startup
    /// forever (⚠); the specification forbids that. 60 s leaves room for slow work an application
    /// legitimately does at startup (opening pools, warming caches, running migrations) while
    /// still failing a deployment that hangs. Raising it delays the failure of a stuck process;
    /// lowering it below the application's real startup time turns every start into a failure.
    public var startupTimeout: Duration

    /// How long ``PAGILifespanDriver/shutdown()`` waits for `lifespan.shutdown.complete` or
    /// `lifespan.shutdown.failed`. Default: 30 seconds, the reference server's `shutdown_timeout`.
    ///
    /// Servers pass their own `shutdown_timeout` here. Raising it lengthens the worst-case stop
    /// time of the process (a supervisor may SIGKILL first); lowering it can cut an application's
    /// cleanup short.
    public var shutdownTimeout: Duration

    /// Creates a configuration.
    ///
    /// A zero or negative bound expires at once: startup then fails unless the application
    /// answered synchronously, and shutdown gives the application no time. Command-line tools
    /// should refuse such values before they get here.
    /// - Parameters:
    ///   - startupTimeout: The startup bound.
    ///   - shutdownTimeout: The shutdown bound.
    public init(startupTimeout: Duration = .seconds(60), shutdownTimeout: Duration = .seconds(30)) {
        self.startupTimeout = startupTimeout
        self.shutdownTimeout = shutdownTimeout
    }
}

extension Duration {
    /// Seconds as people write them in logs: `30s`, `0.25s`.
    var pagiSecondsText: String {
        let (seconds, attoseconds) = self.components
        let milliseconds = attoseconds / 1_000_000_000_000_000
        guard milliseconds != 0 else { return "\(seconds)s" }
        var fraction = String(milliseconds)
        while fraction.count < 3 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(seconds).\(fraction)s"
    }
}
