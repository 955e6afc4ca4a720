/// Which framing-relevant fields an application's header list contains.
@usableFromInline
struct HTTP1FieldSummary: Sendable {
    @usableFromInline var hasContentLength: Bool
    @usableFromInline var hasDate: Bool
    @usableFromInline var hasServer: Bool

    @inlinable
    init() {
        self.hasContentLength = false
        self.hasDate = false
        self.hasServer = false
    }
}

/// The header-injection check and field writer shared by heads and trailers.
///
/// Everything here is `@inlinable`: the server calls the serializer with its own field collection
/// and `ByteBuffer` sink, and unspecialised, these generic loops (witness-table calls and runtime
/// metadata lookups per byte) were 21% of the server's CPU on the hello benchmark.
@usableFromInline
enum HTTP1FieldValidator {
    /// Checks every field, and notes the fields the serializer treats specially.
    /// - Throws: The first refusal, naming the field's position.
    @inlinable
    static func validate<Fields: Collection, Name: Collection<UInt8>, Value: Collection<UInt8>>(
        _ fields: Fields
    ) throws(HTTP1SerializationError) -> HTTP1FieldSummary where Fields.Element == (name: Name, value: Value) {
        var summary = HTTP1FieldSummary()
        var fieldIndex = 0
        for field in fields {
            var lineBreakOrNUL = false
            var control = false
            for byte in field.name {
                if byte == HTTP1Bytes.cr || byte == HTTP1Bytes.lf || byte == 0 {
                    lineBreakOrNUL = true
                } else if byte < 0x20 || byte == 0x7F {
                    control = true
                }
            }
            if lineBreakOrNUL {
                throw .nameHasLineBreakOrNUL(fieldIndex: fieldIndex)
            }
            if control {
                throw .nameHasControlCharacter(fieldIndex: fieldIndex)
            }
            for byte in field.value where byte == HTTP1Bytes.cr || byte == HTTP1Bytes.lf || byte == 0 {
                throw .valueHasLineBreakOrNUL(fieldIndex: fieldIndex)
            }
            switch Self.classify(field.name) {
            case .contentLength:
                summary.hasContentLength = true
            case .date:
                summary.hasDate = true
            case .server:
                summary.hasServer = true
            case .transferEncoding, .other:
                break
            }
            fieldIndex += 1
        }
        return summary
    }

    @usableFromInline
    enum FieldKind {
        case contentLength, date, server, transferEncoding, other
    }

    /// Classifies a field name, ASCII case-insensitively.
    @inlinable
    static func classify(_ name: some Collection<UInt8>) -> FieldKind {
        switch name.count {
        case 4 where Self.equalsLowercaseLiteral(name, "date"):
            return .date
        case 6 where Self.equalsLowercaseLiteral(name, "server"):
            return .server
        case 14 where Self.equalsLowercaseLiteral(name, "content-length"):
            return .contentLength
        case 17 where Self.equalsLowercaseLiteral(name, "transfer-encoding"):
            return .transferEncoding
        default:
            return .other
        }
    }

    /// Whether `name` equals the lower-case ASCII `literal`, ignoring the case of `name`; the
    /// caller has already checked that the lengths match.
    @inlinable
    static func equalsLowercaseLiteral(_ name: some Collection<UInt8>, _ literal: StaticString) -> Bool {
        let literalBytes = literal.utf8Start
        var offset = 0
        for byte in name {
            if HTTP1Bytes.lowercased(byte) != literalBytes[offset] {
                return false
            }
            offset &+= 1
        }
        return true
    }

    /// Writes `name: value\r\n` exactly as given (already validated).
    @inlinable
    static func writeField<Sink: HTTP1ByteSink>(name: some Collection<UInt8>, value: some Collection<UInt8>, into sink: inout Sink) {
        sink.pagiWriteCollection(name)
        sink.pagiWriteStaticString(": ")
        sink.pagiWriteCollection(value)
        sink.pagiWriteStaticString("\r\n")
    }
}
