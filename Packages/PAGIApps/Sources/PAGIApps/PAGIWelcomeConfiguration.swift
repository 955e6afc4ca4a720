public import PAGI

/// What the `welcome` page shows and how fast its clock ticks.
public struct PAGIWelcomeConfiguration: Sendable, Hashable {
    /// The server name and version shown on the page, e.g. `pagi-server 0.1.0`.
    public var serverVersion: String
    /// The interval of the page's live SSE clock (`/events`).
    public var tickInterval: Duration

    /// Creates a configuration.
    /// - Parameters:
    ///   - serverVersion: The server name and version to show; the default names only the PAGI
    ///     version, for servers that do not pass their own.
    ///   - tickInterval: The SSE clock's interval; one second by default.
    public init(
        serverVersion: String = "PAGI \(PAGIVersionInfo.current.version)",
        tickInterval: Duration = .seconds(1)
    ) {
        self.serverVersion = serverVersion
        self.tickInterval = tickInterval
    }
}
