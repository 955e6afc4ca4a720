/// Limits and timers of a ``WorkerPoolStateMachine`` (`pagi-server --workers N`).
public struct WorkerPoolConfiguration: Sendable, Hashable {
    /// How many workers to run. Default 2; never below 1 (TTOU stops at 1).
    public var workers: Int
    /// The minimum time between two spawns of the same worker number. Default 1 second: a worker that crashes
    /// at once is restarted once a second instead of in a tight fork loop; raising it slows recovery.
    public var spawnInterval: Duration
    /// How long a stopping worker gets after SIGTERM before SIGKILL. Default 30 seconds, the reference
    /// server's `shutdown_timeout`; long enough for in-flight requests, short enough for deploys.
    public var shutdownTimeout: Duration
    /// A worker silent on its heartbeat pipe for longer than this is killed with SIGKILL. Default 50 seconds
    /// (workers beat every fifth of it); `nil` disables heartbeats.
    public var heartbeatTimeout: Duration?
    /// How long a new worker may take before its first heartbeat. Default 60 seconds. The reference server
    /// counts startup against `heartbeatTimeout` (⚠ slow lifespan startups were killed in a loop); we give
    /// startup its own bound.
    public var startupTimeout: Duration
    /// A worker counts as up (for HUP rolling replacement and hot-restart health) at its first heartbeat, or
    /// after this long alive when heartbeats are disabled. Default 1 second, start_server's `--interval`.
    public var readyAfter: Duration
    /// How long a new master started by USR2 waits for its workers before retiring the old master with at
    /// least one healthy worker. Default 26 seconds, the reference server's `(heartbeat_timeout || 10)/2 + 1`.
    /// It retires the old master earlier when every worker is up.
    public var hotRestartGrace: Duration

    /// Creates a configuration; every parameter has the documented default.
    public init(
        workers: Int = 2,
        spawnInterval: Duration = .seconds(1),
        shutdownTimeout: Duration = .seconds(30),
        heartbeatTimeout: Duration? = .seconds(50),
        startupTimeout: Duration = .seconds(60),
        readyAfter: Duration = .seconds(1),
        hotRestartGrace: Duration = .seconds(26)
    ) {
        precondition(workers >= 1, "WorkerPoolConfiguration.workers must be at least 1; the CLI validates this")
        self.workers = workers
        self.spawnInterval = spawnInterval
        self.shutdownTimeout = shutdownTimeout
        self.heartbeatTimeout = heartbeatTimeout
        self.startupTimeout = startupTimeout
        self.readyAfter = readyAfter
        self.hotRestartGrace = hotRestartGrace
    }
}

/// A worker's request budget (`max_requests`/`min_requests`): the worker exits gracefully after a number of
/// requests drawn uniformly from `minimum...maximum`, so workers of one pool do not all recycle at once.
public struct RequestBudget: Sendable, Hashable {
    /// The fewest requests a worker serves before it recycles.
    public var minimum: Int
    /// The most requests a worker serves before it recycles.
    public var maximum: Int

    /// Creates a budget; `minimum` is clamped into `1...maximum`.
    public init(minimum: Int, maximum: Int) {
        precondition(maximum >= 1, "RequestBudget.maximum must be at least 1")
        self.maximum = maximum
        self.minimum = min(max(1, minimum), maximum)
    }

    /// Draws this worker's budget.
    public func draw<G: RandomNumberGenerator>(using generator: inout G) -> Int {
        Int.random(in: self.minimum...self.maximum, using: &generator)
    }

    /// Draws this worker's budget with the system generator.
    public func draw() -> Int {
        var generator = SystemRandomNumberGenerator()
        return self.draw(using: &generator)
    }
}
