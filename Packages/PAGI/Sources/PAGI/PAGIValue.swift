/// A value of the PAGI data model (protocol §2.1), used where the protocol is open-ended:
/// extension data and the fields of custom events.
///
/// There is no boolean: the protocol spells flags as the integers `0` and `1`.
public enum PAGIValue: Sendable, Hashable {
    /// The absence of a value ("undef").
    case null
    /// A signed 64-bit integer.
    case int(Int64)
    /// A finite IEEE-754 double; NaN and infinities are not permitted values.
    case double(Double)
    /// Unicode text.
    case text(String)
    /// Opaque octets.
    case bytes([UInt8])
    /// An ordered list.
    case array([PAGIValue])
    /// A map with UTF-8 text keys.
    case map([String: PAGIValue])

    /// Whether the value, and every value nested in it, is permitted by the data model.
    ///
    /// Only doubles can break the rule: NaN and ±infinity are not PAGI values.
    public var isPermitted: Bool {
        switch self {
        case .null, .int, .text, .bytes: true
        case .double(let value): value.isFinite
        case .array(let values): values.allSatisfy(\.isPermitted)
        case .map(let values): values.values.allSatisfy(\.isPermitted)
        }
    }
}

/// An event whose `type` is not one of the protocol's own, such as an extension's or an
/// application-defined protocol's (`myproto.message`).
public struct PAGICustomEvent: Sendable, Hashable {
    /// The event type, `<protocol>.<message>`.
    public var type: String
    /// The event's other fields.
    public var fields: [String: PAGIValue]

    /// Creates a custom event.
    /// - Parameters:
    ///   - type: The event type.
    ///   - fields: The event's fields, `type` excluded.
    public init(type: String, fields: [String: PAGIValue] = [:]) {
        self.type = type
        self.fields = fields
    }
}
