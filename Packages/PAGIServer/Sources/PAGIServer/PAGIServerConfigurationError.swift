/// A server configuration that cannot work, found before anything is bound.
///
/// Its `description` is one line naming the problem and the fix; the CLI prints it as is.
public struct PAGIServerConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is.
    public enum Code: Sendable, Hashable {
        /// A `--listen` value could not be understood.
        case invalidListenSpec
        /// A numeric option is out of range.
        case invalidValue
        /// No listener was configured.
        case noListeners
    }

    /// The kind of problem.
    public var code: Code
    /// The one-line explanation.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - message: A one-line explanation that names the fix.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { self.message }

    static func invalidListenSpec(_ spec: String, _ problem: String) -> Self {
        Self(code: .invalidListenSpec, message: "invalid listen address '\(spec)': \(problem)")
    }

    static func invalidValue(_ option: String, _ problem: String) -> Self {
        Self(code: .invalidValue, message: "invalid \(option): \(problem)")
    }
}
