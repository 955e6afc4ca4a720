/// Why the response serializer refused to write a head or trailers. Nothing was written.
///
/// Header injection defence (PAGI protocol §5.3, server-behaviour §5.4): a field that would let an
/// application smuggle a line ending or a NUL onto the wire is refused, never stripped or rewritten.
public struct HTTP1SerializationError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Code: Hashable, Sendable {
        case nameHasLineBreakOrNUL, nameHasControlCharacter, valueHasLineBreakOrNUL, invalidStatus
    }

    private let code: Code
    /// The offending field's position in the list given to the serializer, if a field was at fault.
    public let fieldIndex: Int?

    private init(_ code: Code, fieldIndex: Int?) {
        self.code = code
        self.fieldIndex = fieldIndex
    }

    /// The message the reference server raises for this refusal.
    public var message: String {
        switch self.code {
        case .nameHasLineBreakOrNUL:
            return "Invalid header name: contains CR, LF, or null byte"
        case .nameHasControlCharacter:
            return "Invalid header name: contains control characters"
        case .valueHasLineBreakOrNUL:
            return "Invalid header value: contains CR, LF, or null byte"
        case .invalidStatus:
            return "Invalid status code: must be between 100 and 999"
        }
    }

    /// The message, the field position and how to fix it.
    public var description: String {
        let position = self.fieldIndex.map { " (header field #\($0))" } ?? ""
        return "\(self.message)\(position); remove CR, LF, NUL and control characters from header fields before sending"
    }

    /// A field name containing CR, LF or NUL.
    public static func nameHasLineBreakOrNUL(fieldIndex: Int) -> Self { Self(.nameHasLineBreakOrNUL, fieldIndex: fieldIndex) }
    /// A field name containing another control character (0x01–0x1F except CR/LF, or 0x7F; tab included).
    public static func nameHasControlCharacter(fieldIndex: Int) -> Self { Self(.nameHasControlCharacter, fieldIndex: fieldIndex) }
    /// A field value containing CR, LF or NUL.
    public static func valueHasLineBreakOrNUL(fieldIndex: Int) -> Self { Self(.valueHasLineBreakOrNUL, fieldIndex: fieldIndex) }
    /// A status code outside 100…999, which cannot be written as three digits.
    public static let invalidStatus = Self(.invalidStatus, fieldIndex: nil)
}
