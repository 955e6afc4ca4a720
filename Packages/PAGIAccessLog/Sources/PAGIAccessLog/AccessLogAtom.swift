/// One `%` directive of an access-log format, after compilation.
///
/// The reference server's atoms (`%h %l %u %t %r %m %U %q %H %s %b %B %d %D %T %{Name}i`) print
/// exactly what it prints; the others follow Apache's `mod_log_config` where the reference has no
/// equivalent.
public enum AccessLogAtom: Sendable, Hashable {
    /// `%h`: the client IP; `unix` on Unix sockets; `-` if unknown.
    case clientHost
    /// `%a`: the client IP (Apache's "client IP" atom; same text as `%h`, which does no DNS).
    case clientAddress
    /// `%A`: the local IP the request arrived on; `unix` on Unix sockets.
    case localAddress
    /// `%p`: the local port; `-` on Unix sockets.
    case localPort
    /// `%l`: the remote logname; always `-`.
    case remoteLogname
    /// `%u`: the remote user; always `-`.
    case remoteUser
    /// `%t`: the start time as `DD/Mon/YYYY:HH:MM:SS +0000`, always UTC.
    case time
    /// `%{format}t`: the start time through `strftime(3)` with `format`, in UTC.
    case formattedTime(String)
    /// `%{sec}t`: whole seconds since the epoch.
    case epochSeconds
    /// `%{msec}t`: whole milliseconds since the epoch.
    case epochMilliseconds
    /// `%{usec}t`: whole microseconds since the epoch.
    case epochMicroseconds
    /// `%{msec_frac}t`: the millisecond fraction of the start second, three digits.
    case millisecondFraction
    /// `%{usec_frac}t`: the microsecond fraction of the start second, six digits.
    case microsecondFraction
    /// `%r`: `METHOD URI HTTP/VERSION`, URI = raw path plus `?query` when the query is not empty.
    case requestLine
    /// `%m`: the method; `-` if unknown.
    case method
    /// `%U`: the raw path without the query; `/` if unknown.
    case path
    /// `%q`: `?query`, or nothing when the query is empty.
    case query
    /// `%H`: `HTTP/` and the version.
    case httpProtocol
    /// `%s` (also written `%>s` / `%<s`): the status; `-` if no response started.
    case status
    /// `%b`: response body bytes; `-` when zero.
    case bodyBytesCLF
    /// `%B`: response body bytes; `0` when zero.
    case bodyBytes
    /// `%I`: bytes received, request head included.
    case bytesReceived
    /// `%O`: bytes sent, response head included.
    case bytesSent
    /// `%d`: the duration in seconds with three decimals, like `0.123`.
    case durationSeconds
    /// `%D`: the duration in whole microseconds.
    case durationMicroseconds
    /// `%T`: the duration in whole seconds, truncated.
    case durationWholeSeconds
    /// `%{Name}i`: the first request header called `Name` (case-insensitive); `-` if absent.
    case requestHeader(String)
    /// `%{Name}o`: the first response header called `Name` (case-insensitive); `-` if absent.
    case responseHeader(String)
    /// `%P`: the process id of the serving worker.
    case processID
    /// `%k`: how many requests this keep-alive connection served before this one.
    case keepAliveRequests
    /// `%X`: the connection status after the response: `X` aborted, `+` kept alive, `-` closed.
    case connectionStatus

    /// The atom as written in a normalised format, e.g. `%h` or `%{Referer}i`.
    public var syntax: String {
        switch self {
        case .clientHost: "%h"
        case .clientAddress: "%a"
        case .localAddress: "%A"
        case .localPort: "%p"
        case .remoteLogname: "%l"
        case .remoteUser: "%u"
        case .time: "%t"
        case .formattedTime(let format): "%{\(format)}t"
        case .epochSeconds: "%{sec}t"
        case .epochMilliseconds: "%{msec}t"
        case .epochMicroseconds: "%{usec}t"
        case .millisecondFraction: "%{msec_frac}t"
        case .microsecondFraction: "%{usec_frac}t"
        case .requestLine: "%r"
        case .method: "%m"
        case .path: "%U"
        case .query: "%q"
        case .httpProtocol: "%H"
        case .status: "%s"
        case .bodyBytesCLF: "%b"
        case .bodyBytes: "%B"
        case .bytesReceived: "%I"
        case .bytesSent: "%O"
        case .durationSeconds: "%d"
        case .durationMicroseconds: "%D"
        case .durationWholeSeconds: "%T"
        case .requestHeader(let name): "%{\(name)}i"
        case .responseHeader(let name): "%{\(name)}o"
        case .processID: "%P"
        case .keepAliveRequests: "%k"
        case .connectionStatus: "%X"
        }
    }

    /// The field name this atom's value gets when a line is parsed back (the JSON key of
    /// `pagi-logfmt parse`), e.g. `client` or `request_header:referer`.
    public var fieldName: String {
        switch self {
        case .clientHost: "client"
        case .clientAddress: "client_ip"
        case .localAddress: "local_address"
        case .localPort: "local_port"
        case .remoteLogname: "logname"
        case .remoteUser: "user"
        case .time: "time"
        case .formattedTime(let format): "time:\(format)"
        case .epochSeconds: "time_sec"
        case .epochMilliseconds: "time_msec"
        case .epochMicroseconds: "time_usec"
        case .millisecondFraction: "time_msec_frac"
        case .microsecondFraction: "time_usec_frac"
        case .requestLine: "request"
        case .method: "method"
        case .path: "path"
        case .query: "query"
        case .httpProtocol: "protocol"
        case .status: "status"
        case .bodyBytesCLF: "body_bytes_clf"
        case .bodyBytes: "body_bytes"
        case .bytesReceived: "bytes_received"
        case .bytesSent: "bytes_sent"
        case .durationSeconds: "duration"
        case .durationMicroseconds: "duration_us"
        case .durationWholeSeconds: "duration_s"
        case .requestHeader(let name): "request_header:\(AccessLogFormatParser.lowercased(name))"
        case .responseHeader(let name): "response_header:\(AccessLogFormatParser.lowercased(name))"
        case .processID: "pid"
        case .keepAliveRequests: "keepalive_requests"
        case .connectionStatus: "connection_status"
        }
    }

    /// One line saying what the atom prints, for help tables.
    public var summary: String {
        switch self {
        case .clientHost: "client IP; 'unix' on Unix sockets; '-' if unknown"
        case .clientAddress: "client IP (same as %h; no DNS lookups are made)"
        case .localAddress: "local IP the request arrived on; 'unix' on Unix sockets"
        case .localPort: "local port; '-' on Unix sockets"
        case .remoteLogname: "remote logname; always '-'"
        case .remoteUser: "remote user; always '-'"
        case .time: "start time, DD/Mon/YYYY:HH:MM:SS +0000 (UTC)"
        case .formattedTime: "start time through strftime(3) in UTC, e.g. %{%Y-%m-%dT%H:%M:%SZ}t"
        case .epochSeconds: "start time in seconds since the epoch"
        case .epochMilliseconds: "start time in milliseconds since the epoch"
        case .epochMicroseconds: "start time in microseconds since the epoch"
        case .millisecondFraction: "millisecond fraction of the start second (3 digits)"
        case .microsecondFraction: "microsecond fraction of the start second (6 digits)"
        case .requestLine: "request line: METHOD URI HTTP/VERSION"
        case .method: "request method; '-' if unknown"
        case .path: "raw request path without the query; '/' if unknown"
        case .query: "'?query', or nothing when the query is empty"
        case .httpProtocol: "HTTP/ and the version"
        case .status: "response status; '-' if no response started (also %>s, %<s)"
        case .bodyBytesCLF: "response body bytes; '-' when zero"
        case .bodyBytes: "response body bytes; '0' when zero"
        case .bytesReceived: "bytes received, request head included"
        case .bytesSent: "bytes sent, response head included"
        case .durationSeconds: "duration in seconds with 3 decimals"
        case .durationMicroseconds: "duration in whole microseconds"
        case .durationWholeSeconds: "duration in whole seconds (truncated)"
        case .requestHeader: "first request header Name (case-insensitive); '-' if absent"
        case .responseHeader: "first response header Name (case-insensitive); '-' if absent"
        case .processID: "process id of the serving worker"
        case .keepAliveRequests: "requests served earlier on this keep-alive connection"
        case .connectionStatus: "connection after the response: X aborted, + kept alive, - closed"
        }
    }

    /// Every kind of atom once, in documentation order, with placeholder arguments
    /// (`%{Name}i`, `%{format}t`); the table `pagi-logfmt atoms` prints.
    public static let catalogue: [AccessLogAtom] = [
        .clientHost, .clientAddress, .localAddress, .localPort, .remoteLogname, .remoteUser,
        .time, .formattedTime("format"), .epochSeconds, .epochMilliseconds, .epochMicroseconds,
        .millisecondFraction, .microsecondFraction,
        .requestLine, .method, .path, .query, .httpProtocol, .status,
        .bodyBytesCLF, .bodyBytes, .bytesReceived, .bytesSent,
        .durationSeconds, .durationMicroseconds, .durationWholeSeconds,
        .requestHeader("Name"), .responseHeader("Name"),
        .processID, .keepAliveRequests, .connectionStatus,
    ]

    /// The atom a single letter after `%` names, or `nil`.
    static func simple(_ letter: UInt8) -> AccessLogAtom? {
        switch letter {
        case UInt8(ascii: "h"): .clientHost
        case UInt8(ascii: "a"): .clientAddress
        case UInt8(ascii: "A"): .localAddress
        case UInt8(ascii: "p"): .localPort
        case UInt8(ascii: "l"): .remoteLogname
        case UInt8(ascii: "u"): .remoteUser
        case UInt8(ascii: "t"): .time
        case UInt8(ascii: "r"): .requestLine
        case UInt8(ascii: "m"): .method
        case UInt8(ascii: "U"): .path
        case UInt8(ascii: "q"): .query
        case UInt8(ascii: "H"): .httpProtocol
        case UInt8(ascii: "s"): .status
        case UInt8(ascii: "b"): .bodyBytesCLF
        case UInt8(ascii: "B"): .bodyBytes
        case UInt8(ascii: "I"): .bytesReceived
        case UInt8(ascii: "O"): .bytesSent
        case UInt8(ascii: "d"): .durationSeconds
        case UInt8(ascii: "D"): .durationMicroseconds
        case UInt8(ascii: "T"): .durationWholeSeconds
        case UInt8(ascii: "P"): .processID
        case UInt8(ascii: "k"): .keepAliveRequests
        case UInt8(ascii: "X"): .connectionStatus
        default: nil
        }
    }
}
