public import PAGI

/// The built-in applications by name, as `pagi-server --app NAME` selects them.
public enum PAGIBuiltinApp: String, Sendable, Hashable, CaseIterable {
    /// ``PAGIApps/hello``.
    case hello
    /// ``PAGIApps/echo``.
    case echo
    /// ``PAGIApps/staticFiles(_:)``; needs a root directory.
    case `static`

    /// Whether the app needs a root directory (`--root`).
    public var needsRoot: Bool {
        switch self {
        case .hello, .echo: false
        case .static: true
        }
    }

    /// Builds the application.
    /// - Parameter root: The directory `static` serves; ignored by the others.
    /// - Returns: The application.
    /// - Throws: ``PAGIStaticFilesError`` when `static` gets no root, or a root that is not a
    ///   readable directory.
    public func makeApp(root: String?) throws(PAGIStaticFilesError) -> PAGIApp {
        switch self {
        case .hello:
            return PAGIApps.hello
        case .echo:
            return PAGIApps.echo
        case .static:
            guard let root else { throw .missingRoot }
            return try PAGIApps.staticFiles(PAGIStaticFilesConfiguration(root: root))
        }
    }
}
