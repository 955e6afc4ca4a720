#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What one complete line of a header or trailer section means for the scan.
enum HTTP1LineOutcome {
    case next
    case sectionComplete
    case skip
    case failure(HTTP1ParseError)
}

extension HTTP1RequestParser {
    /// Scans the header (or trailer) section line by line.
    ///
    /// Lines are validated where they lie — in the caller's buffer when they arrived whole, in the
    /// scratch buffer when they straddle two calls — and the section's bytes are appended to the
    /// scratch buffer in as few copies as possible (once per call in the common case). At most
    /// the section limit plus a line ending is ever buffered.
    mutating func parseSection(_ input: UnsafeRawBufferPointer, from start: Int, isTrailer: Bool) -> HTTP1ParseResult {
        var position = start
        // input[pendingStart..<position] has been scanned but not yet appended to the buffer.
        var pendingStart = start
        let sizeLimit = self.limits.maxHeaderSectionSize
        // Enough for the longest acceptable section plus the CRLF CRLF that ends it: a window this size
        // always contains either the end of the section or proof that a limit was exceeded.
        let capacity = max(sizeLimit, isTrailer ? 0 : self.limits.maxRequestLineLength) + 4

        while true {
            let buffered = self.currentHead.bytes.count - self.sectionStart + (position - pendingStart)
            let windowEnd = min(input.count, position + max(capacity - buffered, 0))
            guard let lineFeed = Self.findLineFeed(input, from: position, to: windowEnd) else {
                self.appendToBuffer(input, from: pendingStart, to: windowEnd)
                if let error = self.checkPartialLine(isTrailer: isTrailer) {
                    return self.fail(error)
                }
                guard windowEnd == input.count else {
                    preconditionFailure("header section window exhausted without a limit error (buffered \(buffered))")
                }
                return HTTP1ParseResult(consumed: windowEnd, event: .needMoreData)
            }
            let outcome: HTTP1LineOutcome
            let straddles = self.lineStart < self.currentHead.bytes.count
            if straddles {
                // The line began in an earlier call: complete it in the buffer and scan it there.
                self.appendToBuffer(input, from: pendingStart, to: lineFeed + 1)
                pendingStart = lineFeed + 1
                position = lineFeed + 1
                let lineEnd = self.currentHead.bytes.count - 1
                let lineStart = self.lineStart
                // processLine mutates self, so it cannot run inside self.currentHead.bytes.withUnsafeBytes;
                // this copy shares the storage and dies before the next append, so nothing is reallocated.
                let bytes = self.currentHead.bytes
                outcome = bytes.withUnsafeBytes { buffer in
                    self.processLine(buffer, start: lineStart, lineFeed: lineEnd, bufferOffset: 0, isTrailer: isTrailer)
                }
            } else {
                let lineStartInInput = position
                let bufferOffset = self.currentHead.bytes.count - pendingStart
                position = lineFeed + 1
                outcome = self.processLine(
                    input, start: lineStartInInput, lineFeed: lineFeed, bufferOffset: bufferOffset, isTrailer: isTrailer
                )
            }
            switch outcome {
            case .next:
                self.lineStart = self.currentHead.bytes.count + (position - pendingStart)
            case .skip:
                // A blank line before the request line (RFC 9112 §2.2 says ignore it): drop its bytes.
                if straddles {
                    self.currentHead.bytes.removeSubrange(self.lineStart...)
                }
                pendingStart = position
                self.lineStart = self.currentHead.bytes.count
            case .sectionComplete:
                self.appendToBuffer(input, from: pendingStart, to: position)
                return self.completeSection(consumed: position, isTrailer: isTrailer)
            case .failure(let error):
                return self.fail(error)
            }
        }
    }

    private static func findLineFeed(_ input: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        guard start < end, let base = input.baseAddress else {
            return nil
        }
        guard let found = memchr(base + start, Int32(HTTP1Bytes.lf), end - start) else {
            return nil
        }
        return base.distance(to: UnsafeRawPointer(found))
    }

    private mutating func appendToBuffer(_ input: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        guard start < end else {
            return
        }
        self.currentHead.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[start..<end]))
    }

    /// Checks the limits against an unterminated line at the end of the buffer.
    ///
    /// The section size is measured like the reference server does: the offset of the final
    /// `CRLF CRLF`, i.e. every byte before the blank line minus the last line's own line ending.
    private func checkPartialLine(isTrailer: Bool) -> HTTP1ParseError? {
        let bytes = self.currentHead.bytes
        var partialEnd = bytes.count
        if partialEnd > self.lineStart && bytes[partialEnd - 1] == HTTP1Bytes.cr {
            partialEnd -= 1
        }
        guard partialEnd > self.lineStart else {
            // Nothing but (the start of) a line ending: the complete lines before it passed already.
            return nil
        }
        if !isTrailer && !self.sawRequestLine && partialEnd - self.lineStart > self.limits.maxRequestLineLength {
            return .requestLineTooLong
        }
        if partialEnd - self.sectionStart > self.limits.maxHeaderSectionSize {
            return .headerSectionTooLarge
        }
        return nil
    }

    /// Validates one complete line. `buffer[start...lineFeed]` is the line with its LF;
    /// `bufferOffset` maps an index of `buffer` to the scratch buffer index the byte will have.
    private mutating func processLine(
        _ buffer: UnsafeRawBufferPointer,
        start: Int,
        lineFeed: Int,
        bufferOffset: Int,
        isTrailer: Bool
    ) -> HTTP1LineOutcome {
        var end = lineFeed
        let endsWithCRLF = end > start && buffer[end - 1] == HTTP1Bytes.cr
        if endsWithCRLF {
            end -= 1
        }
        let bareLineFeed = !endsWithCRLF && !self.allowsBareLineFeed
        if end == start {
            if bareLineFeed {
                return .failure(.bareLineFeed)
            }
            if !isTrailer && !self.sawRequestLine {
                return .skip
            }
            return .sectionComplete
        }
        // Limits are checked before anything about the line's content (its ending included), in the
        // same order as checkPartialLine does for an unterminated line, so the error never depends on
        // where the input was split.
        // The section size is the offset of the final CRLF CRLF (see checkPartialLine).
        let lineEndInSection = end + bufferOffset - self.sectionStart
        if !isTrailer && !self.sawRequestLine {
            if end - start > self.limits.maxRequestLineLength {
                return .failure(.requestLineTooLong)
            }
            if lineEndInSection > self.limits.maxHeaderSectionSize {
                return .failure(.headerSectionTooLarge)
            }
            if bareLineFeed {
                return .failure(.bareLineFeed)
            }
            self.sawRequestLine = true
            if let error = self.parseRequestLine(buffer, start: start, end: end, bufferOffset: bufferOffset) {
                return .failure(error)
            }
            return .next
        }
        if lineEndInSection > self.limits.maxHeaderSectionSize {
            return .failure(.headerSectionTooLarge)
        }
        self.fieldCount += 1
        if self.fieldCount > self.limits.maxHeaderCount {
            return .failure(.tooManyHeaders)
        }
        if bareLineFeed {
            return .failure(.bareLineFeed)
        }
        if let error = self.parseFieldLine(buffer, start: start, end: end, bufferOffset: bufferOffset, isTrailer: isTrailer) {
            return .failure(error)
        }
        return .next
    }

    private mutating func completeSection(consumed: Int, isTrailer: Bool) -> HTTP1ParseResult {
        // Names are compared case-insensitively while scanning; lower-case them once, in the buffer.
        let indexes = isTrailer ? self.trailerIndexes : self.currentHead.fieldIndexes
        self.currentHead.bytes.withUnsafeMutableBytes { bytes in
            for index in indexes {
                var position = Int(index.nameStart)
                let end = position + Int(index.nameLength)
                while position < end {
                    bytes[position] = HTTP1Bytes.lowercased(bytes[position])
                    position += 1
                }
            }
        }
        if isTrailer {
            self.state = .idle
            return HTTP1ParseResult(consumed: consumed, event: .end)
        }
        if let error = self.finishHead() {
            return self.fail(error)
        }
        self.state = .headComplete
        return HTTP1ParseResult(consumed: consumed, event: .head)
    }
}
