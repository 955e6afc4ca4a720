/// Which framing-relevant fields an application's header list contains.
struct HTTP1FieldSummary: Sendable {
    var hasContentLength = false
    var hasDate = false
    var hasServer = false
}

/// The header-injection check and field writer shared by heads and trailers.
enum HTTP1FieldValidator {
    /// Checks every field, and notes the fields the serializer treats specially.
    /// - Throws: The first refusal, naming the field's position.
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

    enum FieldKind {
        case contentLength, date, server, transferEncoding, other
    }

    /// Classifies a field name, ASCII case-insensitively.
    static func classify(_ name: some Collection<UInt8>) -> FieldKind {
        switch name.count {
        case 4 where HTTP1Bytes.equalsCaseInsensitive(name, "date".utf8):
            return .date
        case 6 where HTTP1Bytes.equalsCaseInsensitive(name, "server".utf8):
            return .server
        case 14 where HTTP1Bytes.equalsCaseInsensitive(name, "content-length".utf8):
            return .contentLength
        case 17 where HTTP1Bytes.equalsCaseInsensitive(name, "transfer-encoding".utf8):
            return .transferEncoding
        default:
            return .other
        }
    }

    /// Writes `name: value\r\n` exactly as given (already validated).
    static func writeField<Sink: HTTP1ByteSink>(name: some Collection<UInt8>, value: some Collection<UInt8>, into sink: inout Sink) {
        sink.pagiWriteCollection(name)
        sink.pagiWriteStaticString(": ")
        sink.pagiWriteCollection(value)
        sink.pagiWriteStaticString("\r\n")
    }
}
