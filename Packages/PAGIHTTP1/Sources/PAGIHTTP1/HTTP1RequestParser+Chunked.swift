extension HTTP1RequestParser {
    /// Advances the chunk framing (RFC 9112 §7.1) by one byte: sizes, extensions, line endings.
    ///
    /// Chunk data itself never passes through here — it is reported as ranges — so the per-byte
    /// cost only applies to the few bytes of each chunk-size line.
    /// - Returns: An error if the byte is not allowed in the current state.
    mutating func stepChunkFraming(_ byte: UInt8) -> HTTP1ParseError? {
        switch self.state {
        case .chunkSize(let value, let digits):
            if let digit = HTTP1Bytes.hexValue(byte) {
                guard value <= (Int.max >> 4) else {
                    return .chunkSizeOverflow
                }
                self.state = .chunkSize(value: value << 4 | Int(digit), digits: digits + 1)
                return nil
            }
            guard digits > 0 else {
                return .invalidChunkSize
            }
            switch byte {
            case UInt8(ascii: ";"):
                return self.beginChunkExtension(value)
            case HTTP1Bytes.space, HTTP1Bytes.tab:
                self.state = .chunkSizeWhitespace(value: value)
            case HTTP1Bytes.cr:
                self.state = .chunkSizeLineFeed(value: value)
            case HTTP1Bytes.lf where self.allowsBareLineFeed:
                return self.finishChunkSizeLine(value)
            default:
                return .invalidChunkSize
            }
            return nil
        case .chunkSizeWhitespace(let value):
            // BWS is only allowed before an extension's `;` (RFC 9112 §7.1.1).
            switch byte {
            case HTTP1Bytes.space, HTTP1Bytes.tab:
                return nil
            case UInt8(ascii: ";"):
                return self.beginChunkExtension(value)
            default:
                return .invalidChunkSize
            }
        case .chunkExtension(let value, let length):
            switch byte {
            case HTTP1Bytes.cr:
                self.state = .chunkSizeLineFeed(value: value)
                return nil
            case HTTP1Bytes.lf where self.allowsBareLineFeed:
                return self.finishChunkSizeLine(value)
            default:
                guard HTTP1Bytes.isFieldValueByte(byte) else {
                    return .invalidChunkExtension
                }
                guard length < self.limits.maxChunkExtensionLength else {
                    return .chunkExtensionTooLong
                }
                self.state = .chunkExtension(value: value, length: length + 1)
                return nil
            }
        case .chunkSizeLineFeed(let value):
            guard byte == HTTP1Bytes.lf else {
                return .invalidChunkSize
            }
            return self.finishChunkSizeLine(value)
        case .chunkDataCarriageReturn:
            switch byte {
            case HTTP1Bytes.cr:
                self.state = .chunkDataLineFeed
            case HTTP1Bytes.lf where self.allowsBareLineFeed:
                self.state = .chunkSize(value: 0, digits: 0)
            default:
                return .missingChunkDataTerminator
            }
            return nil
        case .chunkDataLineFeed:
            guard byte == HTTP1Bytes.lf else {
                return .missingChunkDataTerminator
            }
            self.state = .chunkSize(value: 0, digits: 0)
            return nil
        case .idle, .headSection, .headComplete, .contentLengthBody, .chunkData, .trailerSection, .endPending, .failed:
            preconditionFailure("stepChunkFraming called in state \(self.state)")
        }
    }

    /// The `;` that starts the extensions counts towards their length.
    private mutating func beginChunkExtension(_ value: Int) -> HTTP1ParseError? {
        guard self.limits.maxChunkExtensionLength >= 1 else {
            return .chunkExtensionTooLong
        }
        self.state = .chunkExtension(value: value, length: 1)
        return nil
    }

    /// A chunk-size line is complete: check the body limit before any of the chunk's data is read.
    private mutating func finishChunkSizeLine(_ size: Int) -> HTTP1ParseError? {
        let (total, overflow) = self.chunkedBodySize.addingReportingOverflow(size)
        if overflow {
            return .bodyTooLarge
        }
        if let maxBodySize = self.limits.maxBodySize, total > maxBodySize {
            return .bodyTooLarge
        }
        self.chunkedBodySize = total
        if size == 0 {
            self.sectionStart = self.currentHead.bytes.count
            self.lineStart = self.sectionStart
            self.fieldCount = 0
            self.state = .trailerSection
        } else {
            self.state = .chunkData(remaining: size)
        }
        return nil
    }
}
