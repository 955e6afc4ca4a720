extension AccessLogFormat {
    /// Which header list a `%{Name}i` / `%{Name}o` reads. Public only because the inlinable
    /// ``render(_:into:)`` names it; not meant for direct use.
    public enum _HeaderSide: Sendable {
        /// `%{Name}i`: the request's headers.
        case request
        /// `%{Name}o`: the response's headers.
        case response
    }

    /// Appends one log line for `entry` to `buffer`, without the trailing newline.
    ///
    /// The server keeps one buffer per event loop, clears it with
    /// `removeAll(keepingCapacity: true)`, renders, appends `\n` and writes it out; after the
    /// buffer has grown to a line's size no call allocates. Values from the request and the
    /// response headers are escaped (see the package README), so a client cannot forge lines.
    ///
    /// - Parameters:
    ///   - entry: The facts of the finished request.
    ///   - buffer: The line buffer to append to.
    @inlinable
    public func render<Headers: AccessLogHeaderLookup>(_ entry: AccessLogEntry<Headers>, into buffer: inout [UInt8]) {
        // Inlined into the caller so only this header shim is specialised for `Headers`; the
        // render loop itself is compiled once, over the non-generic `info`. Unspecialised, the
        // generic entry cost a metadata lookup per field access (callgrind: ~20% of the line).
        self._render(entry.info, into: &buffer) { side, name, emit in
            switch side {
            case .request: entry.requestHeaders.withFirstValue(forLowercasedName: name, emit)
            case .response: entry.responseHeaders.withFirstValue(forLowercasedName: name, emit)
            }
        }
    }

    /// Renders `entry` into a new string; convenient for tools and tests, allocates.
    /// - Parameter entry: The facts of the finished request.
    /// - Returns: The log line without the trailing newline.
    public func renderString<Headers: AccessLogHeaderLookup>(_ entry: AccessLogEntry<Headers>) -> String {
        var buffer: [UInt8] = []
        self.render(entry, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// The render loop behind ``render(_:into:)``; `headers` looks up one field and passes its
    /// value (or `nil`) to the callback. Not API: called from the inlined wrapper only.
    /// - Parameters:
    ///   - info: The request's non-header facts.
    ///   - buffer: The line buffer to append to.
    ///   - headers: Looks up the first field `name` (lower-cased) on `side`.
    @usableFromInline
    func _render(
        _ info: AccessLogRequestInfo,
        into buffer: inout [UInt8],
        headers: (_ side: _HeaderSide, _ name: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer?) -> Void) -> Void
    ) {
        self.storage.withUnsafeBytes { storage in
            self.instructions.withUnsafeBufferPointer { instructions in
                // The storage ends in padding, so it is never empty.
                guard let storageBase = storage.baseAddress else { return }
                AccessLogLineWriter.append(to: &buffer) { writer in
                    for instruction in instructions {
                        Self.render(instruction, info, storage: storage, headers: headers, into: &writer)
                        let suffixCount = Int(instruction.suffixCount)
                        let suffix = storageBase + Int(instruction.suffixStart)
                        if suffixCount <= AccessLogLineWriter.shortLiteralReadLength {
                            // The storage's padding keeps a 16-byte read inside it.
                            writer.appendShortLiteral(suffix, count: suffixCount)
                        } else {
                            writer.append(UnsafeRawBufferPointer(start: suffix, count: suffixCount))
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func render(
        _ instruction: Instruction,
        _ entry: AccessLogRequestInfo,
        storage: UnsafeRawBufferPointer,
        headers: (_HeaderSide, UnsafeRawBufferPointer, (UnsafeRawBufferPointer?) -> Void) -> Void,
        into writer: inout AccessLogLineWriter
    ) {
        switch instruction.operation {
        case .literal:
            break  // only the suffix
        case .clientHost:
            Self.appendAddress(entry.client, to: &writer)
        case .localAddress:
            Self.appendAddress(entry.server, to: &writer)
        case .localPort:
            if case .ip(_, let port) = entry.server {
                writer.appendDecimal(port)
            } else {
                writer.append(UInt8(ascii: "-"))
            }
        case .dash:
            writer.append(UInt8(ascii: "-"))
        case .time:
            AccessLogTimeFormatter.appendCommonLogTime(entry.startTime, to: &writer)
        case .formattedTime:
            guard let format = storage.baseAddress?.advanced(by: Int(instruction.start)) else { return }
            AccessLogTimeFormatter.appendStrftime(entry.startTime, format: format, to: &writer)
        case .epochSeconds:
            AccessLogTimeFormatter.appendEpoch(entry.startTime, nanosecondsPerUnit: 1_000_000_000, to: &writer)
        case .epochMilliseconds:
            AccessLogTimeFormatter.appendEpoch(entry.startTime, nanosecondsPerUnit: 1_000_000, to: &writer)
        case .epochMicroseconds:
            AccessLogTimeFormatter.appendEpoch(entry.startTime, nanosecondsPerUnit: 1_000, to: &writer)
        case .millisecondFraction:
            writer.appendPadded(UInt(entry.startTime.nanoseconds / 1_000_000), width: 3)
        case .microsecondFraction:
            writer.appendPadded(UInt(entry.startTime.nanoseconds / 1_000), width: 6)
        case .requestLine:
            Self.appendMethod(entry, to: &writer)
            writer.append(UInt8(ascii: " "))
            Self.appendPath(entry, to: &writer)
            Self.appendQuery(entry, to: &writer)
            writer.append(UInt8(ascii: " "))
            Self.appendProtocol(entry, to: &writer)
        case .method:
            Self.appendMethod(entry, to: &writer)
        case .path:
            Self.appendPath(entry, to: &writer)
        case .query:
            Self.appendQuery(entry, to: &writer)
        case .httpProtocol:
            Self.appendProtocol(entry, to: &writer)
        case .status:
            if let status = entry.status {
                writer.appendDecimal(status)
            } else {
                writer.append(UInt8(ascii: "-"))
            }
        case .bodyBytesCLF:
            if entry.bodyBytes > 0 {
                writer.appendDecimal(entry.bodyBytes)
            } else {
                writer.append(UInt8(ascii: "-"))
            }
        case .bodyBytes:
            writer.appendDecimal(max(entry.bodyBytes, 0))
        case .bytesReceived:
            writer.appendDecimal(max(entry.bytesReceived, 0))
        case .bytesSent:
            writer.appendDecimal(max(entry.bytesSent, 0))
        case .durationSeconds:
            AccessLogDurationFormatter.appendSecondsWithMilliseconds(nanoseconds: entry.durationNanoseconds, to: &writer)
        case .durationMicroseconds:
            writer.appendDecimal(UInt(entry.durationNanoseconds / 1_000))
        case .durationWholeSeconds:
            writer.appendDecimal(UInt(entry.durationNanoseconds / 1_000_000_000))
        case .requestHeader:
            Self.appendHeader(.request, name: Self.operand(instruction, storage), headers: headers, to: &writer)
        case .responseHeader:
            Self.appendHeader(.response, name: Self.operand(instruction, storage), headers: headers, to: &writer)
        case .processID:
            writer.appendDecimal(entry.processID)
        case .keepAliveRequests:
            writer.appendDecimal(max(entry.keepAliveRequests, 0))
        case .connectionStatus:
            switch entry.connectionStatus {
            case .aborted: writer.append(UInt8(ascii: "X"))
            case .keptAlive: writer.append(UInt8(ascii: "+"))
            case .closed: writer.append(UInt8(ascii: "-"))
            }
        }
    }

    private static func operand(_ instruction: Instruction, _ storage: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let start = Int(instruction.start)
        return UnsafeRawBufferPointer(rebasing: storage[start..<start + Int(instruction.count)])
    }

    private static func appendAddress(_ peer: AccessLogPeer, to writer: inout AccessLogLineWriter) {
        switch peer {
        case .ip(let address, _) where !address.isEmpty:
            writer.appendEscaped(address)
        case .ip, .unknown:
            writer.append(UInt8(ascii: "-"))
        case .unix:
            writer.append("unix")
        }
    }

    private static func appendMethod(_ entry: AccessLogRequestInfo, to writer: inout AccessLogLineWriter) {
        if let method = entry.method {
            writer.appendEscaped(method)
        } else {
            writer.append(UInt8(ascii: "-"))
        }
    }

    private static func appendPath(_ entry: AccessLogRequestInfo, to writer: inout AccessLogLineWriter) {
        if let path = entry.path {
            writer.appendEscaped(path)
        } else {
            writer.append(UInt8(ascii: "/"))
        }
    }

    private static func appendQuery(_ entry: AccessLogRequestInfo, to writer: inout AccessLogLineWriter) {
        guard let query = entry.query, !query.isEmpty else { return }
        writer.append(UInt8(ascii: "?"))
        writer.appendEscaped(query)
    }

    private static func appendProtocol(_ entry: AccessLogRequestInfo, to writer: inout AccessLogLineWriter) {
        writer.append("HTTP/")
        if let version = entry.httpVersion {
            writer.appendEscaped(version)
        } else {
            writer.append("1.1")
        }
    }

    private static func appendHeader(
        _ side: _HeaderSide,
        name: UnsafeRawBufferPointer,
        headers: (_HeaderSide, UnsafeRawBufferPointer, (UnsafeRawBufferPointer?) -> Void) -> Void,
        to writer: inout AccessLogLineWriter
    ) {
        headers(side, name) { value in
            if let value {
                writer.appendEscaped(value)
            } else {
                writer.append(UInt8(ascii: "-"))
            }
        }
    }
}
