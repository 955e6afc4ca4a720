/// The `PAGI_REUSE` variable: the hot-restart handoff from an old pagi-server master to its successor.
///
/// Entries are joined by `,`: TCP `host:port:fd` and unix `unix:/path:fd`, e.g.
/// `0.0.0.0:8080:3,unix:/run/pagi/app.sock:4`. IPv6 hosts are written without brackets
/// (`::1:8080:3`, the port and fd being the last two fields), as the reference server writes them;
/// the bracketed form `[::1]:8080:3` is accepted too and means the same address (the reference
/// server keeps the brackets and then matches nothing, ⚠ not reproduced).
public enum PAGIReuse {
    /// `PAGI_REUSE`.
    public static let variableName = "PAGI_REUSE"

    /// One entry.
    public struct Entry: Sendable, Hashable {
        /// The declared listener: `.tcp` with a host, or `.unix`.
        public var spec: ListenerSpec
        /// The descriptor number holding the socket.
        public var descriptor: Int32

        /// Creates an entry.
        /// - Parameters:
        ///   - spec: The listener to declare; a `.tcp` spec without a host is written as `0.0.0.0`.
        ///   - descriptor: The descriptor the successor will find it on.
        public init(spec: ListenerSpec, descriptor: Int32) {
            self.spec = spec
            self.descriptor = descriptor
        }
    }
}

extension PAGIReuse {
    /// Parses the variable's value.
    ///
    /// - Parameter value: The variable's value; empty means no listeners.
    /// - Returns: The entries in order.
    /// - Throws: ``FDInheritanceError/Code/malformedEnvironmentEntry`` naming the first bad entry
    ///   (the reference server skips them silently; a lost listener deserves an error).
    public static func parse(_ value: String) throws(FDInheritanceError) -> [Entry] {
        guard !value.isEmpty else { return [] }
        var entries: [Entry] = []
        for rawEntry in value.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = String(rawEntry)
            guard !entry.isEmpty else {
                throw .malformed(variableName, entry: entry, "the entry is empty (',' doubled or trailing)")
            }
            guard let lastColon = entry.lastIndex(of: ":") else {
                throw .malformed(variableName, entry: entry, "expected HOST:PORT:FD or unix:PATH:FD")
            }
            let descriptor = try EnvironmentDescriptor.parse(entry[entry.index(after: lastColon)...], variable: variableName, entry: entry)
            let head = entry[..<lastColon]
            if head.hasPrefix("unix:") {
                let path = head.dropFirst("unix:".count)
                guard !path.isEmpty else {
                    throw .malformed(variableName, entry: entry, "the unix socket path is empty")
                }
                entries.append(Entry(spec: .unix(path: String(path)), descriptor: descriptor))
                continue
            }
            guard let portColon = head.lastIndex(of: ":") else {
                throw .malformed(variableName, entry: entry, "expected HOST:PORT:FD or unix:PATH:FD")
            }
            let portText = head[head.index(after: portColon)...]
            guard !portText.isEmpty, portText.count <= 5, portText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let port = Int(portText), port <= Int(UInt16.max)
            else {
                throw .malformed(variableName, entry: entry, "'\(portText)' is not a port number 0...65535")
            }
            var host = head[..<portColon]
            if host.hasPrefix("[") {
                guard host.hasSuffix("]"), host.count > 2 else {
                    throw .malformed(variableName, entry: entry, "unbalanced brackets around the host")
                }
                host = host.dropFirst().dropLast()
            }
            guard !host.isEmpty else {
                throw .malformed(variableName, entry: entry, "the host is empty; write 0.0.0.0 for all interfaces")
            }
            guard !host.contains("["), !host.contains("]") else {
                throw .malformed(variableName, entry: entry, "brackets may only enclose the whole IPv6 host")
            }
            entries.append(Entry(spec: .tcp(host: String(host), port: UInt16(port)), descriptor: descriptor))
        }
        return entries
    }

    /// Renders entries as the variable's value, the inverse of ``parse(_:)``.
    ///
    /// - Parameter entries: The listeners to declare, in order.
    /// - Returns: The entries joined by `,`.
    /// - Throws: ``FDInheritanceError/Code/unrepresentableValue`` for a UDP spec or a unix path
    ///   containing `,`, which the format cannot carry.
    public static func render(_ entries: [Entry]) throws(FDInheritanceError) -> String {
        var parts: [String] = []
        for entry in entries {
            switch entry.spec {
            case .tcp(let host, let port):
                parts.append("\(host ?? "0.0.0.0"):\(port):\(entry.descriptor)")
            case .unix(let path):
                guard !path.contains(",") else {
                    throw FDInheritanceError(
                        .unrepresentableValue,
                        "cannot put unix path '\(path)' in \(variableName): entries are separated by ','; rename the socket path"
                    )
                }
                parts.append("unix:\(path):\(entry.descriptor)")
            case .udp:
                throw FDInheritanceError(
                    .unrepresentableValue,
                    "cannot put UDP listener '\(entry.spec)' in \(variableName): it carries only TCP and unix listeners"
                )
            }
        }
        return parts.joined(separator: ",")
    }
}
