import PAGI
import PAGILifespan

/// The lifespan conversation of one server run, as the server uses it.
struct LifespanSession: Sendable {
    let driver: PAGILifespanDriver<ContinuousClock>
    let supported: Bool

    /// The state request scopes copy; `nil` when the application declined lifespan (scopes then
    /// get a fresh empty map).
    var state: PAGILifespanState? { self.supported ? self.driver.state : nil }

    /// Runs the lifespan shutdown. The driver logs every failure, timeout and early end itself
    /// (`PAGI Server shutdown warning: …`, through the server's logger), so nothing is logged here.
    func shutdown() async {
        await self.driver.shutdown()
    }
}

extension PAGIServer {
    /// Runs the lifespan startup before anything is bound (server-behaviour §20: single-process
    /// order is lifespan first, then bind), on the loop that will serve requests (protocol §10.1).
    func startLifespan(executor: EventLoopTaskExecutor) async throws -> LifespanSession {
        let logger = self.logger
        let driver = PAGILifespanDriver(
            app: self.app,
            scope: self.lifespanScope,
            configuration: PAGILifespanConfiguration(shutdownTimeout: self.configuration.timeouts.shutdown),
            executor: executor,
            log: { level, line in
                switch level {
                case .debug: logger.log(.debug, line)
                case .info: logger.log(.info, line)
                case .warning: logger.log(.warn, line)
                case .error: logger.log(.error, line)
                }
            }
        )
        do {
            let outcome = try await driver.startup()
            return LifespanSession(driver: driver, supported: outcome == .started)
        } catch {
            // The driver already logged `PAGI Server startup failed: …` for a failure or a timeout;
            // only a cancelled startup (a cancelled run) reaches here unlogged.
            let message: String
            switch error {
            case .startupFailed(let text):
                message = text
            case .startupTimedOut:
                message = error.description
            case .startupCancelled:
                message = error.description
                logger.log(.error, "PAGI Server startup failed: \(message)")
            }
            throw PAGIServerError(code: .lifespanStartupFailed, message: "Lifespan startup failed: \(message)")
        }
    }
}
