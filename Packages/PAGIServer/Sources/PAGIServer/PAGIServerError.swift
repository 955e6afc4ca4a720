/// A failure that stops ``PAGIServer/run(handleSignals:onReady:)``.
///
/// The `description` is the one line the CLI prints after `Error: `.
public struct PAGIServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Code: Sendable, Hashable {
        /// A TCP port is taken by another process.
        case portInUse
        /// Binding was refused by the system (privileged port, socket directory permissions).
        case permissionDenied
        /// Any other bind failure.
        case bindFailed
        /// The application's lifespan startup reported failure; nothing was bound.
        case lifespanStartupFailed
        /// ``PAGIServer/run(handleSignals:onReady:)`` was called twice.
        case alreadyRunning
        /// The access log could not be opened.
        case accessLogUnavailable
        /// The TLS certificate, key, CA file or settings are unusable; nothing was bound.
        case tlsConfigurationInvalid
    }

    /// What failed.
    public var code: Code
    /// The one-line explanation.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }

    static let alreadyRunning = PAGIServerError(code: .alreadyRunning, message: "this PAGIServer was already run; create a new one to serve again")
}
