extension HTTP1RequestParser {
    /// Parses `method SP request-target SP HTTP-version` (RFC 9112 §3) in `buffer[start..<end]`.
    mutating func parseRequestLine(
        _ buffer: UnsafeRawBufferPointer,
        start: Int,
        end: Int,
        bufferOffset: Int
    ) -> HTTP1ParseError? {
        var position = start
        while position < end && HTTP1Bytes.isTokenByte(buffer[position]) {
            position += 1
        }
        let methodEnd = position
        guard position < end, buffer[position] == HTTP1Bytes.space else {
            return position == end || methodEnd == start ? .malformedRequestLine : .invalidMethod
        }
        guard methodEnd > start else {
            return .malformedRequestLine
        }
        position += 1
        let targetStart = position
        var queryMark: Int?
        while position < end && buffer[position] != HTTP1Bytes.space {
            // Skip eight ordinary target bytes at a time (no space, control, DEL, non-ASCII or '?').
            while position + 8 <= end {
                let word = buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                if HTTP1Bytes.hasByteBelow(word, 0x21) || HTTP1Bytes.hasHighByte(word) || HTTP1Bytes.hasByte(word, 0x7F)
                    || HTTP1Bytes.hasByte(word, UInt8(ascii: "?"))
                {
                    break
                }
                position += 8
            }
            guard position < end else {
                break
            }
            let byte = buffer[position]
            if byte == HTTP1Bytes.space {
                break
            }
            guard HTTP1Bytes.isTargetByte(byte) else {
                return byte == HTTP1Bytes.cr ? .bareCarriageReturn : .invalidTarget
            }
            if byte == UInt8(ascii: "?") && queryMark == nil {
                queryMark = position
            }
            position += 1
        }
        let targetEnd = position
        guard targetEnd > targetStart, position < end else {
            return .malformedRequestLine
        }
        position += 1
        if let error = self.parseVersion(buffer, start: position, end: end) {
            return error
        }

        let method = UnsafeRawBufferPointer(rebasing: buffer[start..<methodEnd])
        let form: HTTP1TargetForm
        var pathStart = targetStart
        let pathEnd = queryMark ?? targetEnd
        if method.elementsEqual("CONNECT".utf8) {
            // CONNECT takes only authority-form (RFC 9112 §3.2.3): host:port, nothing path-like.
            guard buffer[targetStart] != UInt8(ascii: "/"), buffer[targetStart] != UInt8(ascii: "*") else {
                return .invalidTarget
            }
            form = .authority
        } else if buffer[targetStart] == UInt8(ascii: "/") {
            form = .origin
        } else if targetEnd - targetStart == 1 && buffer[targetStart] == UInt8(ascii: "*") {
            guard method.elementsEqual("OPTIONS".utf8) else {
                return .invalidTarget
            }
            form = .asterisk
        } else if let authorityStart = Self.absoluteFormAuthorityStart(buffer, start: targetStart, end: pathEnd) {
            form = .absolute
            pathStart = authorityStart
            while pathStart < pathEnd && buffer[pathStart] != UInt8(ascii: "/") {
                pathStart += 1
            }
        } else {
            return .invalidTarget
        }
        self.currentHead.targetForm = form
        self.currentHead.methodRange = (start + bufferOffset)..<(methodEnd + bufferOffset)
        self.currentHead.targetRange = (targetStart + bufferOffset)..<(targetEnd + bufferOffset)
        switch form {
        case .origin, .absolute:
            self.currentHead.pathRange = (pathStart + bufferOffset)..<(pathEnd + bufferOffset)
            let queryStart = queryMark.map { $0 + 1 } ?? targetEnd
            self.currentHead.queryRange = (queryStart + bufferOffset)..<(targetEnd + bufferOffset)
        case .asterisk, .authority:
            self.currentHead.pathRange = self.currentHead.targetRange
            self.currentHead.queryRange = (targetEnd + bufferOffset)..<(targetEnd + bufferOffset)
        }
        return nil
    }

    /// `HTTP/<digit>.<digit>`, upper case, nothing after it. Well-formed versions other than 1.0 and
    /// 1.1 are 505; anything else is 400.
    private mutating func parseVersion(_ buffer: UnsafeRawBufferPointer, start: Int, end: Int) -> HTTP1ParseError? {
        guard end - start == 8, buffer[start] == UInt8(ascii: "H"), buffer[start + 1] == UInt8(ascii: "T"),
            buffer[start + 2] == UInt8(ascii: "T"), buffer[start + 3] == UInt8(ascii: "P"),
            buffer[start + 4] == UInt8(ascii: "/"), buffer[start + 6] == UInt8(ascii: ".")
        else {
            if end > start, buffer[start..<end].contains(HTTP1Bytes.space) {
                return .malformedRequestLine
            }
            if end > start, buffer[start..<end].contains(HTTP1Bytes.cr) {
                return .bareCarriageReturn
            }
            return .malformedVersion
        }
        let major = buffer[start + 5] &- UInt8(ascii: "0")
        let minor = buffer[start + 7] &- UInt8(ascii: "0")
        guard major <= 9, minor <= 9 else {
            return .malformedVersion
        }
        guard major == 1, minor <= 1 else {
            return .unsupportedVersion
        }
        self.currentHead.version = HTTP1Version(major: major, minor: minor)
        return nil
    }

    /// For `scheme://authority/path`, the index where the authority starts; `nil` if not that shape.
    private static func absoluteFormAuthorityStart(_ buffer: UnsafeRawBufferPointer, start: Int, end: Int) -> Int? {
        var position = start
        guard position < end, (buffer[position] | 0x20) >= UInt8(ascii: "a"), (buffer[position] | 0x20) <= UInt8(ascii: "z") else {
            return nil
        }
        while position < end {
            let byte = buffer[position]
            let lower = byte | 0x20
            let isSchemeByte =
                (lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            guard isSchemeByte else {
                break
            }
            position += 1
        }
        guard end - position >= 3, buffer[position] == UInt8(ascii: ":"), buffer[position + 1] == UInt8(ascii: "/"),
            buffer[position + 2] == UInt8(ascii: "/")
        else {
            return nil
        }
        return position + 3
    }

    /// Parses `field-name ":" OWS field-value OWS` (RFC 9112 §5) in `buffer[start..<end]`.
    mutating func parseFieldLine(
        _ buffer: UnsafeRawBufferPointer,
        start: Int,
        end: Int,
        bufferOffset: Int,
        isTrailer: Bool
    ) -> HTTP1ParseError? {
        if HTTP1Bytes.isWhitespace(buffer[start]) {
            return .obsoleteLineFolding
        }
        var position = start
        while position < end && HTTP1Bytes.isTokenByte(buffer[position]) {
            position += 1
        }
        let nameEnd = position
        guard position < end else {
            return .malformedHeaderLine
        }
        let stop = buffer[position]
        guard stop == HTTP1Bytes.colon else {
            if HTTP1Bytes.isWhitespace(stop) {
                var probe = position
                while probe < end && HTTP1Bytes.isWhitespace(buffer[probe]) {
                    probe += 1
                }
                return probe < end && buffer[probe] == HTTP1Bytes.colon ? .whitespaceBeforeColon : .invalidHeaderName
            }
            return stop == HTTP1Bytes.cr ? .bareCarriageReturn : .invalidHeaderName
        }
        guard nameEnd > start else {
            return .emptyHeaderName
        }
        position += 1
        while position < end && HTTP1Bytes.isWhitespace(buffer[position]) {
            position += 1
        }
        let valueStart = position
        // Eight bytes per step while no byte is a control character or DEL (measured: the value scan
        // was half of all parse instructions on a browser-like request); the byte loop decides the rest.
        while position + 8 <= end {
            let word = buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self)
            if HTTP1Bytes.hasByteBelow(word, 0x20) || HTTP1Bytes.hasByte(word, 0x7F) {
                break
            }
            position += 8
        }
        while position < end {
            let byte = buffer[position]
            guard HTTP1Bytes.isFieldValueByte(byte) else {
                return byte == HTTP1Bytes.cr ? .bareCarriageReturn : .invalidHeaderValue
            }
            position += 1
        }
        var valueEnd = end
        while valueEnd > valueStart && HTTP1Bytes.isWhitespace(buffer[valueEnd - 1]) {
            valueEnd -= 1
        }
        let index = HTTP1FieldIndex(
            nameStart: start + bufferOffset,
            nameLength: nameEnd - start,
            valueStart: valueStart + bufferOffset,
            valueLength: valueEnd - valueStart
        )
        if isTrailer {
            self.trailerIndexes.append(index)
            return nil
        }
        self.currentHead.fieldIndexes.append(index)
        return self.noteField(buffer, nameStart: start, nameEnd: nameEnd, valueStart: valueStart, valueEnd: valueEnd)
    }

    /// Records what a framing-relevant field says; other fields cost one length switch.
    private mutating func noteField(
        _ buffer: UnsafeRawBufferPointer,
        nameStart: Int,
        nameEnd: Int,
        valueStart: Int,
        valueEnd: Int
    ) -> HTTP1ParseError? {
        switch nameEnd - nameStart {
        case 4 where HTTP1Bytes.equalsLowercaseLiteral(buffer, nameStart, nameEnd, "host"):
            self.facts.hostCount += 1
        case 6 where HTTP1Bytes.equalsLowercaseLiteral(buffer, nameStart, nameEnd, "expect"):
            if HTTP1Bytes.equalsLowercaseLiteral(buffer, valueStart, valueEnd, "100-continue") {
                self.facts.expectsContinue = true
            }
        case 7 where HTTP1Bytes.equalsLowercaseLiteral(buffer, nameStart, nameEnd, "upgrade"):
            self.facts.sawUpgrade = true
        case 10 where HTTP1Bytes.equalsLowercaseLiteral(buffer, nameStart, nameEnd, "connection"):
            HTTP1ListScanner.forEachElement(buffer, start: valueStart, end: valueEnd) { elementStart, elementEnd in
                if HTTP1Bytes.equalsLowercaseLiteral(buffer, elementStart, elementEnd, "close") {
                    self.facts.connectionClose = true
                } else if HTTP1Bytes.equalsLowercaseLiteral(buffer, elementStart, elementEnd, "keep-alive") {
                    self.facts.connectionKeepAlive = true
                } else if HTTP1Bytes.equalsLowercaseLiteral(buffer, elementStart, elementEnd, "upgrade") {
                    self.facts.connectionUpgrade = true
                }
                return true
            }
        case 14 where HTTP1Bytes.equalsLowercaseLiteral(buffer, nameStart, nameEnd, "content-length"):
            return self.noteContentLength(buffer, valueStart: valueStart, valueEnd: valueEnd)
        case 17 where HTTP1Bytes.equalsLowercaseLiteral(buffer, nameStart, nameEnd, "transfer-encoding"):
            return self.noteTransferEncoding(buffer, valueStart: valueStart, valueEnd: valueEnd)
        default:
            break
        }
        return nil
    }

    /// `Content-Length = 1*DIGIT`; a list of identical values is accepted as that value (RFC 9110
    /// §8.6), anything else — signs, inner spaces, empty members, differing values — is refused.
    private mutating func noteContentLength(_ buffer: UnsafeRawBufferPointer, valueStart: Int, valueEnd: Int) -> HTTP1ParseError? {
        guard valueEnd > valueStart else {
            return .invalidContentLength
        }
        var failure: HTTP1ParseError?
        let complete = HTTP1ListScanner.forEachElement(buffer, start: valueStart, end: valueEnd, allowEmpty: false) { start, end in
            var value = 0
            var position = start
            while position < end {
                let digit = buffer[position] &- UInt8(ascii: "0")
                guard digit <= 9 else {
                    failure = .invalidContentLength
                    return false
                }
                let (shifted, overflowMultiply) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowAdd) = shifted.addingReportingOverflow(Int(digit))
                guard !overflowMultiply && !overflowAdd else {
                    failure = .contentLengthOverflow
                    return false
                }
                value = sum
                position += 1
            }
            if let previous = self.facts.contentLength, previous != value {
                failure = .conflictingContentLength
                return false
            }
            self.facts.contentLength = value
            return true
        }
        return complete ? nil : (failure ?? .invalidContentLength)
    }

    /// Tracks the transfer-coding list across all `Transfer-Encoding` fields (RFC 9112 §6.1).
    private mutating func noteTransferEncoding(_ buffer: UnsafeRawBufferPointer, valueStart: Int, valueEnd: Int) -> HTTP1ParseError? {
        self.facts.sawTransferEncoding = true
        guard valueEnd > valueStart else {
            return .invalidTransferEncoding
        }
        var failure: HTTP1ParseError?
        let complete = HTTP1ListScanner.forEachElement(buffer, start: valueStart, end: valueEnd, allowEmpty: false) { start, end in
            var position = start
            while position < end && HTTP1Bytes.isTokenByte(buffer[position]) {
                position += 1
            }
            let nameEnd = position
            if self.facts.chunkedIsLast {
                // Anything after chunked — even another chunked — makes the body's end ambiguous.
                self.facts.chunkedNotLast = true
                self.facts.chunkedIsLast = false
            }
            if HTTP1Bytes.equalsLowercaseLiteral(buffer, start, nameEnd, "chunked") {
                guard nameEnd == end else {
                    failure = .invalidTransferEncoding
                    return false
                }
                self.facts.chunkedIsLast = !self.facts.chunkedNotLast
            } else {
                guard nameEnd > start else {
                    failure = .invalidTransferEncoding
                    return false
                }
                self.facts.sawUnknownCoding = true
            }
            return true
        }
        return complete ? nil : (failure ?? .invalidTransferEncoding)
    }

    /// Turns the gathered facts into framing and flags, refusing ambiguous combinations.
    mutating func finishHead() -> HTTP1ParseError? {
        let facts = self.facts
        let version = self.currentHead.version
        if facts.hostCount > 1 {
            return .multipleHost
        }
        if version == .http1_1 && facts.hostCount == 0 {
            return .missingHost
        }
        if facts.sawTransferEncoding {
            if facts.contentLength != nil {
                return .contentLengthWithTransferEncoding
            }
            if version == .http1_0 {
                return .transferEncodingInHTTP10
            }
            if facts.chunkedNotLast {
                return .chunkedNotFinalCoding
            }
            if facts.sawUnknownCoding || !facts.chunkedIsLast {
                return .unsupportedTransferEncoding
            }
            self.currentHead.framing = .chunked
        } else if let length = facts.contentLength {
            if let maxBodySize = self.limits.maxBodySize, length > maxBodySize {
                return .contentLengthTooLarge
            }
            self.currentHead.framing = length == 0 ? .none : .contentLength(length)
        } else {
            self.currentHead.framing = .none
        }
        if version == .http1_1 {
            self.currentHead.keepAlive = !facts.connectionClose
        } else {
            self.currentHead.keepAlive = facts.connectionKeepAlive && !facts.connectionClose
        }
        self.currentHead.expectsContinue = facts.expectsContinue
        self.currentHead.isUpgradeRequest = facts.sawUpgrade && facts.connectionUpgrade
        return nil
    }
}

/// Splits a comma-separated field value (RFC 9110 §5.6.1) into trimmed elements.
enum HTTP1ListScanner {
    /// Calls `body` with the bounds of each element, trimmed of spaces and tabs.
    /// - Parameters:
    ///   - allowEmpty: Whether empty elements are skipped (`true`) or end the scan with `false`.
    ///   - body: Returns `false` to stop.
    /// - Returns: `true` if every element was visited.
    @discardableResult
    static func forEachElement(
        _ buffer: UnsafeRawBufferPointer,
        start: Int,
        end: Int,
        allowEmpty: Bool = true,
        _ body: (Int, Int) -> Bool
    ) -> Bool {
        var elementStart = start
        while elementStart <= end {
            var elementEnd = elementStart
            while elementEnd < end && buffer[elementEnd] != UInt8(ascii: ",") {
                elementEnd += 1
            }
            var trimmedStart = elementStart
            var trimmedEnd = elementEnd
            while trimmedStart < trimmedEnd && HTTP1Bytes.isWhitespace(buffer[trimmedStart]) {
                trimmedStart += 1
            }
            while trimmedEnd > trimmedStart && HTTP1Bytes.isWhitespace(buffer[trimmedEnd - 1]) {
                trimmedEnd -= 1
            }
            if trimmedStart == trimmedEnd {
                if !allowEmpty {
                    return false
                }
            } else if !body(trimmedStart, trimmedEnd) {
                return false
            }
            elementStart = elementEnd + 1
        }
        return true
    }
}
