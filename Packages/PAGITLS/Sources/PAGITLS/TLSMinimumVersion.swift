/// The oldest TLS version a server accepts (`min_version`). Older versions are never offered: SSLv3, TLS 1.0
/// and TLS 1.1 are refused whatever the setting.
public enum TLSMinimumVersion: String, Sendable, Hashable, CaseIterable {
    /// TLS 1.2 or newer (`TLSv1_2`), the default.
    case tls1_2 = "TLSv1_2"
    /// TLS 1.3 only (`TLSv1_3`).
    case tls1_3 = "TLSv1_3"

    /// The version's wire number (`0x0303`, `0x0304`).
    public var wireVersion: Int {
        switch self {
        case .tls1_2: 0x0303
        case .tls1_3: 0x0304
        }
    }
}
