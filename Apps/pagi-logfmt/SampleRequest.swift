import PAGIAccessLog

/// The request `pagi-logfmt render` prints, with `--set key=value` overrides.
struct SampleRequest {
    /// Why a `--set` value was refused; the description says what to write instead.
    struct SettingError: Error, CustomStringConvertible {
        var description: String
    }

    private(set) var entry = AccessLogEntry<AccessLogHeaderList>(
        client: .ip(address: "127.0.0.1", port: 54_321),
        server: .ip(address: "127.0.0.1", port: 5_000),
        method: "GET",
        path: "/index.html",
        query: "lang=en",
        httpVersion: "1.1",
        status: 200,
        bodyBytes: 1_024,
        bytesReceived: 180,
        bytesSent: 1_187,
        requestHeaders: [("Host", "localhost:5000"), ("Referer", "http://example.com/"), ("User-Agent", "curl/8.5.0")],
        responseHeaders: [("Content-Type", "text/html"), ("Content-Length", "1024")],
        startTime: AccessLogTimestamp(secondsSinceEpoch: 1_795_318_483, nanoseconds: 250_000_000),
        duration: .nanoseconds(12_345_000),
        processID: 4_242,
        keepAliveRequests: 0,
        connectionStatus: .closed
    )

    static let keyHelp = """
        client (IP, 'unix' or '-'), client_port, local_address, local_port, method, path, query, \
        protocol (1.1 or HTTP/1.1), status (number or '-'), body_bytes, bytes_received, bytes_sent, \
        time (seconds since the epoch, fraction allowed), duration (seconds, fraction allowed), \
        duration_us, pid, keepalive_requests, connection_status (X, + or -), \
        request_header:NAME, response_header:NAME (an empty value removes the header)
        """

    mutating func set(_ key: String, to value: String) throws(SettingError) {
        if let name = key.dropPrefix("request_header:") {
            self.entry.requestHeaders = Self.replacing(String(name), with: value, in: self.entry.requestHeaders)
            return
        }
        if let name = key.dropPrefix("response_header:") {
            self.entry.responseHeaders = Self.replacing(String(name), with: value, in: self.entry.responseHeaders)
            return
        }
        switch key {
        case "client", "client_ip": self.entry.client = Self.peer(value, port: self.entry.client.port)
        case "client_port": self.entry.client = Self.withPort(self.entry.client, try Self.integer(key, value))
        case "local_address": self.entry.server = Self.peer(value, port: self.entry.server.port)
        case "local_port": self.entry.server = Self.withPort(self.entry.server, try Self.integer(key, value))
        case "method": self.entry.method = value
        case "path": self.entry.path = value
        case "query": self.entry.query = value
        case "protocol": self.entry.httpVersion = value.dropPrefix("HTTP/").map(String.init) ?? value
        case "status": self.entry.status = value == "-" ? nil : try Self.integer(key, value)
        case "body_bytes": self.entry.bodyBytes = try Self.integer(key, value)
        case "bytes_received": self.entry.bytesReceived = try Self.integer(key, value)
        case "bytes_sent": self.entry.bytesSent = try Self.integer(key, value)
        case "time":
            let (seconds, nanoseconds) = try Self.decimal(key, value)
            self.entry.startTime = AccessLogTimestamp(secondsSinceEpoch: seconds, nanoseconds: Int32(nanoseconds))
        case "duration":
            let (seconds, nanoseconds) = try Self.decimal(key, value)
            self.entry.duration = .seconds(seconds) + .nanoseconds(nanoseconds)
        case "duration_us": self.entry.duration = .microseconds(try Self.integer(key, value))
        case "pid": self.entry.processID = try Self.integer(key, value)
        case "keepalive_requests": self.entry.keepAliveRequests = try Self.integer(key, value)
        case "connection_status":
            switch value {
            case "X": self.entry.connectionStatus = .aborted
            case "+": self.entry.connectionStatus = .keptAlive
            case "-": self.entry.connectionStatus = .closed
            default: throw SettingError(description: "connection_status must be X, + or -, not '\(value)'")
            }
        default:
            throw SettingError(description: "unknown key '\(key)'; the keys are: \(Self.keyHelp)")
        }
    }

    private static func replacing(_ name: String, with value: String, in headers: AccessLogHeaderList) -> AccessLogHeaderList {
        var fields = headers.fields.filter { $0.name.lowercased() != name.lowercased() }
        if !value.isEmpty {
            fields.insert((name: name, value: value), at: 0)
        }
        return AccessLogHeaderList(fields)
    }

    private static func peer(_ value: String, port: Int) -> AccessLogPeer {
        switch value {
        case "unix": .unix
        case "-", "": .unknown
        default: .ip(address: value, port: port)
        }
    }

    private static func withPort(_ peer: AccessLogPeer, _ port: Int) -> AccessLogPeer {
        if case .ip(let address, _) = peer { .ip(address: address, port: port) } else { peer }
    }

    private static func integer(_ key: String, _ value: String) throws(SettingError) -> Int {
        guard let number = Int(value), number >= 0 else {
            throw SettingError(description: "\(key) must be a whole number ≥ 0, not '\(value)'")
        }
        return number
    }

    /// Parses `123.456789` into whole units and nanoseconds, exactly (no floating point).
    private static func decimal(_ key: String, _ value: String) throws(SettingError) -> (Int64, Int64) {
        let parts = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? parts[1] : ""
        guard let whole = Int64(parts[0]), whole >= 0, fraction.count <= 9, fraction.allSatisfy(\.isASCIIDigit) else {
            throw SettingError(description: "\(key) must be seconds like 12 or 0.012345 (at most 9 decimals), not '\(value)'")
        }
        let nanoseconds = Int64(fraction + String(repeating: "0", count: 9 - fraction.count)) ?? 0
        return (whole, nanoseconds)
    }
}

extension AccessLogPeer {
    fileprivate var port: Int {
        if case .ip(_, let port) = self { port } else { 0 }
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> Substring? {
        self.hasPrefix(prefix) ? self.dropFirst(prefix.count) : nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { self.isASCII && self.isNumber }
}
