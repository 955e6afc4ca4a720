public import PAGI

/// The built-in applications by name, as `pagi-server --app NAME` selects them.
public enum PAGIBuiltinApp: String, Sendable, Hashable, CaseIterable {
    /// ``PAGIApps/hello``.
    case hello
    /// ``PAGIApps/echo``.
    case echo
    /// ``PAGIApps/staticFiles(_:)``; needs a root directory.
    case `static`
    /// ``PAGIApps/webSocketEcho``.
    case wsEcho = "ws-echo"
    /// ``PAGIApps/sseTicker(interval:clock:)`` at one event per second.
    case sseTicker = "sse-ticker"
    /// ``PAGIApps/welcome(_:)``: the demo page.
    case welcome

    /// Whether the app needs a root directory (`--root`).
    public var needsRoot: Bool {
        switch self {
        case .hello, .echo, .wsEcho, .sseTicker, .welcome: false
        case .static: true
        }
    }

    /// Builds the application.
    /// - Parameters:
    ///   - root: The directory `static` serves; ignored by the others.
    ///   - welcome: What `welcome` shows (pass the server's own version); ignored by the others.
    /// - Returns: The application.
    /// - Throws: ``PAGIStaticFilesError`` when `static` gets no root, or a root that is not a
    ///   readable directory.
    public func makeApp(
        root: String?,
        welcome: PAGIWelcomeConfiguration = PAGIWelcomeConfiguration()
    ) throws(PAGIStaticFilesError) -> PAGIApp {
        switch self {
        case .hello:
            return PAGIApps.hello
        case .echo:
            return PAGIApps.echo
        case .static:
            guard let root else { throw .missingRoot }
            return try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: root))
        case .wsEcho:
            return PAGIApps.webSocketEcho
        case .sseTicker:
            return PAGIApps.sseTicker()
        case .welcome:
            return PAGIApps.welcome(welcome)
        }
    }
}
