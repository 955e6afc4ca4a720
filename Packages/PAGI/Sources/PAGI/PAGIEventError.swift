/// Why a server refused an event the application sent (protocol §12).
///
/// The `send` that carried the event throws this; the message names the event, the field and what
/// is wrong with it, in words an application author can act on.
public struct PAGIEventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of refusal.
    public enum Code: Sendable, Hashable {
        /// The event type is not one the scope accepts.
        case unrecognizedEventType
        /// The event belongs to an extension the server did not advertise on this scope.
        case extensionNotEnabled
        /// A header name or value cannot be emitted safely.
        case invalidHeader
        /// A field holds a value the protocol does not allow.
        case invalidField
        /// The event is not allowed in the scope's current state (e.g. a body before the start).
        case invalidState
    }

    /// The kind of refusal.
    public var code: Code
    /// The `type` of the refused event.
    public var eventType: String
    /// A readable explanation.
    public var message: String

    /// Creates an event error.
    public init(code: Code, eventType: String, message: String) {
        self.code = code
        self.eventType = eventType
        self.message = message
    }

    public var description: String { self.message }

    /// The event type is not accepted by this scope type.
    public static func unrecognized(_ eventType: String, scope: PAGIScopeType) -> PAGIEventError {
        PAGIEventError(
            code: .unrecognizedEventType,
            eventType: eventType,
            message: "Unrecognized event type '\(eventType)' for \(scope.rawValue) protocol"
        )
    }

    /// The event needs an extension that is not advertised.
    public static func extensionNotEnabled(_ name: String, eventType: String) -> PAGIEventError {
        PAGIEventError(code: .extensionNotEnabled, eventType: eventType, message: "Extension not enabled: \(name)")
    }

    /// A field's value is not allowed.
    public static func invalidField(_ eventType: String, _ field: String, _ problem: String) -> PAGIEventError {
        PAGIEventError(code: .invalidField, eventType: eventType, message: "\(eventType) '\(field)' \(problem)")
    }

    /// The event is out of order for the scope's state.
    public static func invalidState(_ eventType: String, _ problem: String) -> PAGIEventError {
        PAGIEventError(code: .invalidState, eventType: eventType, message: "\(eventType) \(problem)")
    }
}
