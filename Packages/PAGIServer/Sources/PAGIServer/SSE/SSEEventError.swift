/// An `sse.send` whose fields cannot be written without corrupting the event stream
/// (protocol §8.5). The `send` that carried it throws this error.
struct SSEEventError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The offending field of the event.
    enum Field: String, Sendable, Hashable {
        case event
        case id
        case retry
    }

    /// What is wrong with the field.
    enum Problem: Sendable, Hashable {
        /// A CR or LF (or, in `id`, a NUL) that would end the line early or be ignored by clients.
        case forbiddenByte(UInt8)
        /// A negative reconnection delay.
        case negative(Int)
    }

    var field: Field
    var problem: Problem

    var description: String {
        switch self.problem {
        case .forbiddenByte(let byte):
            let name = switch byte {
            case UInt8(ascii: "\r"): "CR (\\r)"
            case UInt8(ascii: "\n"): "LF (\\n)"
            default: "NUL"
            }
            return "sse.send: field '\(self.field.rawValue)' contains \(name), which would break the event stream; "
                + "remove line breaks from '\(self.field.rawValue)' (only 'data' may span lines)"
        case .negative(let value):
            return "sse.send: field 'retry' is \(value); it must be a non-negative number of milliseconds"
        }
    }
}
