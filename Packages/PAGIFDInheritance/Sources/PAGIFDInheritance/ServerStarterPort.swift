/// The `SERVER_STARTER_PORT` variable of Server::Starter and our `start_server`.
///
/// Entries are joined by `;`, each `ADDR=FD`, where ADDR is `8080` (port only, bound on `0.0.0.0`),
/// `host:8080`, `[v6addr]:8080` or a unix socket path: `0.0.0.0:80=3;/tmp/app.sock=4`.
public enum ServerStarterPort {
    /// `SERVER_STARTER_PORT`.
    public static let variableName = "SERVER_STARTER_PORT"

    /// One `ADDR=FD` entry.
    public struct Entry: Sendable, Hashable {
        /// The declared address. UDP sockets appear as `.tcp` here, because the variable does not
        /// carry the socket type (the original writes `u53` as `53`); the verified
        /// ``ListeningSocket/kind`` tells them apart.
        public var spec: ListenerSpec
        /// The descriptor number holding the socket.
        public var descriptor: Int32

        /// Creates an entry.
        /// - Parameters:
        ///   - spec: The address to declare.
        ///   - descriptor: The descriptor the child will find it on.
        public init(spec: ListenerSpec, descriptor: Int32) {
            self.spec = spec
            self.descriptor = descriptor
        }
    }
}

extension ServerStarterPort {
    /// Parses the variable's value.
    ///
    /// The descriptor follows the *last* `=`, so a unix path containing `=` survives (the original
    /// splits at the first one and would misread it). An empty value means no listeners.
    ///
    /// - Parameter value: The variable's value.
    /// - Returns: The entries in order.
    /// - Throws: ``FDInheritanceError/Code/malformedEnvironmentEntry`` naming the first bad entry.
    public static func parse(_ value: String) throws(FDInheritanceError) -> [Entry] {
        guard !value.isEmpty else { return [] }
        var entries: [Entry] = []
        for rawEntry in value.split(separator: ";", omittingEmptySubsequences: false) {
            let entry = String(rawEntry)
            guard !entry.isEmpty else {
                throw .malformed(variableName, entry: entry, "the entry is empty (';' doubled or trailing)")
            }
            guard let equals = entry.lastIndex(of: "=") else {
                throw .malformed(variableName, entry: entry, "no '=FD' part; expected ADDR=FD such as 127.0.0.1:5000=3")
            }
            let descriptor = try EnvironmentDescriptor.parse(entry[entry.index(after: equals)...], variable: variableName, entry: entry)
            let address = String(entry[..<equals])
            let spec: ListenerSpec
            do {
                spec = try ListenerSpec(parsing: address, syntax: .serverStarterEnvironment)
            } catch {
                throw .malformed(variableName, entry: entry, error.description)
            }
            entries.append(Entry(spec: spec, descriptor: descriptor))
        }
        return entries
    }

    /// Renders entries as the variable's value, the inverse of ``parse(_:)``.
    ///
    /// - Parameter entries: The listeners to declare, in order.
    /// - Returns: `ADDR=FD` entries joined by `;`.
    /// - Throws: ``FDInheritanceError/Code/unrepresentableValue`` for a unix path containing `;`,
    ///   which the format cannot carry.
    public static func render(_ entries: [Entry]) throws(FDInheritanceError) -> String {
        var parts: [String] = []
        for entry in entries {
            let address = entry.spec.description
            guard !address.contains(";") else {
                throw FDInheritanceError(
                    .unrepresentableValue,
                    "cannot put '\(address)' in \(variableName): entries are separated by ';'; rename the socket path"
                )
            }
            parts.append("\(address)=\(entry.descriptor)")
        }
        return parts.joined(separator: ";")
    }
}

/// Descriptor numbers as the environment variables write them.
enum EnvironmentDescriptor {
    static func parse(_ text: Substring, variable: String, entry: String) throws(FDInheritanceError) -> Int32 {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .malformed(variable, entry: entry, "'\(text)' is not a descriptor number")
        }
        guard text.count <= 10, let value = Int(text), value <= Int(Int32.max) else {
            throw .malformed(variable, entry: entry, "descriptor \(text) is out of range")
        }
        return Int32(value)
    }
}
