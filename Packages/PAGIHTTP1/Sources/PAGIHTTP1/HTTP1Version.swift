/// An HTTP/1.x protocol version as it appears on a request or status line.
public struct HTTP1Version: Sendable, Hashable, CustomStringConvertible {
    /// The major version digit (always 1 for a parsed request).
    public var major: UInt8
    /// The minor version digit (0 or 1 for a parsed request).
    public var minor: UInt8

    /// Creates a version.
    /// - Parameters:
    ///   - major: The major version digit, 0…9.
    ///   - minor: The minor version digit, 0…9.
    public init(major: UInt8, minor: UInt8) {
        precondition(major <= 9 && minor <= 9, "HTTP/1.x versions are single digits")
        self.major = major
        self.minor = minor
    }

    /// `HTTP/1.0`.
    public static let http1_0 = HTTP1Version(major: 1, minor: 0)
    /// `HTTP/1.1`.
    public static let http1_1 = HTTP1Version(major: 1, minor: 1)

    /// The version without the `HTTP/` prefix, e.g. `"1.1"` — the PAGI `http_version` scope value.
    public var description: String { "\(self.major).\(self.minor)" }
}
