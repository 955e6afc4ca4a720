extension AccessLogFormat {
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
    public func render<Headers: AccessLogHeaderLookup>(_ entry: AccessLogEntry<Headers>, into buffer: inout [UInt8]) {
        self.storage.withUnsafeBytes { storage in
            for instruction in self.instructions {
                Self.render(instruction, entry, storage: storage, into: &buffer)
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

    private static func render<Headers: AccessLogHeaderLookup>(
        _ instruction: Instruction,
        _ entry: AccessLogEntry<Headers>,
        storage: UnsafeRawBufferPointer,
        into buffer: inout [UInt8]
    ) {
        typealias Writer = AccessLogByteWriter
        switch instruction.operation {
        case .literal:
            Writer.appendRaw(Self.operand(instruction, storage), to: &buffer)
        case .clientHost:
            Self.appendAddress(entry.client, to: &buffer)
        case .localAddress:
            Self.appendAddress(entry.server, to: &buffer)
        case .localPort:
            if case .ip(_, let port) = entry.server {
                Writer.appendDecimal(port, to: &buffer)
            } else {
                buffer.append(UInt8(ascii: "-"))
            }
        case .dash:
            buffer.append(UInt8(ascii: "-"))
        case .time:
            AccessLogTimeFormatter.appendCommonLogTime(entry.startTime, to: &buffer)
        case .formattedTime:
            guard let format = storage.baseAddress?.advanced(by: Int(instruction.start)) else { return }
            AccessLogTimeFormatter.appendStrftime(entry.startTime, format: format, to: &buffer)
        case .epochSeconds:
            AccessLogTimeFormatter.appendEpoch(entry.startTime, nanosecondsPerUnit: 1_000_000_000, to: &buffer)
        case .epochMilliseconds:
            AccessLogTimeFormatter.appendEpoch(entry.startTime, nanosecondsPerUnit: 1_000_000, to: &buffer)
        case .epochMicroseconds:
            AccessLogTimeFormatter.appendEpoch(entry.startTime, nanosecondsPerUnit: 1_000, to: &buffer)
        case .millisecondFraction:
            Writer.appendPadded(UInt(entry.startTime.nanoseconds / 1_000_000), width: 3, to: &buffer)
        case .microsecondFraction:
            Writer.appendPadded(UInt(entry.startTime.nanoseconds / 1_000), width: 6, to: &buffer)
        case .requestLine:
            Self.appendMethod(entry, to: &buffer)
            buffer.append(UInt8(ascii: " "))
            Self.appendPath(entry, to: &buffer)
            Self.appendQuery(entry, to: &buffer)
            buffer.append(UInt8(ascii: " "))
            Self.appendProtocol(entry, to: &buffer)
        case .method:
            Self.appendMethod(entry, to: &buffer)
        case .path:
            Self.appendPath(entry, to: &buffer)
        case .query:
            Self.appendQuery(entry, to: &buffer)
        case .httpProtocol:
            Self.appendProtocol(entry, to: &buffer)
        case .status:
            if let status = entry.status {
                Writer.appendDecimal(status, to: &buffer)
            } else {
                buffer.append(UInt8(ascii: "-"))
            }
        case .bodyBytesCLF:
            if entry.bodyBytes > 0 {
                Writer.appendDecimal(entry.bodyBytes, to: &buffer)
            } else {
                buffer.append(UInt8(ascii: "-"))
            }
        case .bodyBytes:
            Writer.appendDecimal(max(entry.bodyBytes, 0), to: &buffer)
        case .bytesReceived:
            Writer.appendDecimal(max(entry.bytesReceived, 0), to: &buffer)
        case .bytesSent:
            Writer.appendDecimal(max(entry.bytesSent, 0), to: &buffer)
        case .durationSeconds:
            AccessLogDurationFormatter.appendSecondsWithMilliseconds(entry.duration, to: &buffer)
        case .durationMicroseconds:
            Writer.appendDecimal(UInt(AccessLogDurationFormatter.nanoseconds(entry.duration) / 1_000), to: &buffer)
        case .durationWholeSeconds:
            Writer.appendDecimal(UInt(AccessLogDurationFormatter.nanoseconds(entry.duration) / 1_000_000_000), to: &buffer)
        case .requestHeader:
            Self.appendHeader(entry.requestHeaders, name: Self.operand(instruction, storage), to: &buffer)
        case .responseHeader:
            Self.appendHeader(entry.responseHeaders, name: Self.operand(instruction, storage), to: &buffer)
        case .processID:
            Writer.appendDecimal(entry.processID, to: &buffer)
        case .keepAliveRequests:
            Writer.appendDecimal(max(entry.keepAliveRequests, 0), to: &buffer)
        case .connectionStatus:
            switch entry.connectionStatus {
            case .aborted: buffer.append(UInt8(ascii: "X"))
            case .keptAlive: buffer.append(UInt8(ascii: "+"))
            case .closed: buffer.append(UInt8(ascii: "-"))
            }
        }
    }

    private static func operand(_ instruction: Instruction, _ storage: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let start = Int(instruction.start)
        return UnsafeRawBufferPointer(rebasing: storage[start..<start + Int(instruction.count)])
    }

    private static func appendAddress(_ peer: AccessLogPeer, to buffer: inout [UInt8]) {
        switch peer {
        case .ip(let address, _) where !address.isEmpty:
            AccessLogByteWriter.appendEscaped(address, to: &buffer)
        case .ip, .unknown:
            buffer.append(UInt8(ascii: "-"))
        case .unix:
            AccessLogByteWriter.appendStatic("unix", to: &buffer)
        }
    }

    private static func appendMethod<Headers>(_ entry: AccessLogEntry<Headers>, to buffer: inout [UInt8]) {
        if let method = entry.method {
            AccessLogByteWriter.appendEscaped(method, to: &buffer)
        } else {
            buffer.append(UInt8(ascii: "-"))
        }
    }

    private static func appendPath<Headers>(_ entry: AccessLogEntry<Headers>, to buffer: inout [UInt8]) {
        if let path = entry.path {
            AccessLogByteWriter.appendEscaped(path, to: &buffer)
        } else {
            buffer.append(UInt8(ascii: "/"))
        }
    }

    private static func appendQuery<Headers>(_ entry: AccessLogEntry<Headers>, to buffer: inout [UInt8]) {
        guard let query = entry.query, !query.isEmpty else { return }
        buffer.append(UInt8(ascii: "?"))
        AccessLogByteWriter.appendEscaped(query, to: &buffer)
    }

    private static func appendProtocol<Headers>(_ entry: AccessLogEntry<Headers>, to buffer: inout [UInt8]) {
        AccessLogByteWriter.appendStatic("HTTP/", to: &buffer)
        if let version = entry.httpVersion {
            AccessLogByteWriter.appendEscaped(version, to: &buffer)
        } else {
            AccessLogByteWriter.appendStatic("1.1", to: &buffer)
        }
    }

    private static func appendHeader<Headers: AccessLogHeaderLookup>(
        _ headers: Headers,
        name: UnsafeRawBufferPointer,
        to buffer: inout [UInt8]
    ) {
        headers.withFirstValue(forLowercasedName: name) { value in
            if let value {
                AccessLogByteWriter.appendEscaped(value, to: &buffer)
            } else {
                buffer.append(UInt8(ascii: "-"))
            }
        }
    }
}
