public import ServiceLifecycle

/// A ``PAGIServer`` is a swift-service-lifecycle `Service`: put it in a `ServiceGroup` next to your
/// other services and the group's graceful shutdown (its signals or `triggerGracefulShutdown()`)
/// drains it.
///
/// ```swift
/// let server = PAGIServer(configuration: configuration, app: app)
/// let group = ServiceGroup(configuration: .init(
///     services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
///
/// Graceful shutdown stops accepting, closes idle keep-alive connections, lets in-flight requests
/// finish for up to ``PAGIServerTimeouts/shutdown`` (then force-closes them) and finally runs the
/// lifespan shutdown, after which ``run()`` returns. Cancelling the task running ``run()`` does the
/// same without waiting: in-flight requests are force-closed at once and `lifespan.shutdown` is
/// delivered but not waited for.
extension PAGIServer: Service {
    /// Serves until graceful shutdown or cancellation, then shuts down and returns.
    ///
    /// Outside a `ServiceGroup` this is ``run(handleSignals:onReady:)`` without signal handling;
    /// call ``shutdownGracefully()`` (or cancel the task) to stop it. Use ``waitUntilListening()``
    /// to learn the bound addresses.
    /// - Throws: What ``run(handleSignals:onReady:)`` throws.
    public func run() async throws {
        try await withTaskCancellationHandler {
            try await withGracefulShutdownHandler {
                try await self.run(handleSignals: false, onReady: { _ in })
            } onGracefulShutdown: {
                self.shutdownGracefully()
            }
        } onCancel: {
            self.shutdownGracefully()
        }
    }
}
