/// The named formats of the reference server (server-behaviour §10.3).
public enum AccessLogPreset: String, Sendable, Hashable, CaseIterable {
    /// The PAGI default: client, time, method and target, status, duration with `s`.
    case clf
    /// Apache's combined format: `common` plus Referer and User-Agent.
    case combined
    /// Apache's common log format: adds the response size.
    case common
    /// Minimal: method, target, status, duration.
    ///
    /// - Note: The reference documents this duration as milliseconds but prints `%D`, which is
    ///   microseconds, followed by `ms` (12.3 ms prints `12300ms`). We keep the reference's text so
    ///   existing log tooling keeps working; see the package README.
    case tiny

    /// The preset servers use when none is configured.
    public static let `default`: AccessLogPreset = .clf

    /// The format string the preset stands for.
    public var format: String {
        switch self {
        case .clf: #"%h - - [%t] "%m %U%q" %s %ds"#
        case .combined: #"%h - - [%t] "%r" %s %b "%{Referer}i" "%{User-Agent}i""#
        case .common: #"%h - - [%t] "%r" %s %b"#
        case .tiny: "%m %U%q %s %Dms"
        }
    }

    /// One line describing the preset, for help tables.
    public var summary: String {
        switch self {
        case .clf: "PAGI default: client, time, method and target, status, duration"
        case .combined: "Apache combined: common plus Referer and User-Agent"
        case .common: "Apache common: client, time, request line, status, size"
        case .tiny: "minimal: method, target, status, duration (microseconds, labelled ms)"
        }
    }
}
