/// Pairs configured listeners with inherited sockets, so a restart reuses the kernel's accept
/// queue instead of binding again.
///
/// Matching is by the socket's verified address, never by the text of an environment entry:
/// `0.0.0.0:8080` and `127.0.0.1:8080` are different listeners, `::1` and `::0001` the same one,
/// and a host name matches the addresses it resolves to. The reference server compares entry text
/// literally (⚠ so `[::1]` never matched); comparing addresses is stricter where it matters and
/// looser only where two spellings mean the same socket.
public enum ListenerMatcher {
    /// A configured listener and the inherited socket that serves it.
    public struct Assignment: Sendable {
        /// The configured listener.
        public let spec: ListenerSpec
        /// The inherited socket to use instead of binding.
        public let listener: InheritedListener
    }

    /// The outcome of matching.
    public struct Result: Sendable {
        /// Configured listeners served by an inherited socket, in configuration order.
        public var assignments: [Assignment]
        /// Configured listeners no inherited socket serves: bind these.
        public var unmatchedSpecs: [ListenerSpec]
        /// Inherited sockets no configured listener wants: the caller logs and closes them (or,
        /// under start_server with nothing configured, serves them all).
        public var unmatchedListeners: [InheritedListener]
    }

    /// Matches each configured listener with at most one inherited socket.
    ///
    /// When several inherited sockets serve one spec, the first in `inherited` wins — discovery
    /// orders them `PAGI_REUSE`, systemd, then Server::Starter, which gives `PAGI_REUSE`
    /// precedence as the reference server does. Kinds must agree: a TCP spec takes only a stream
    /// socket, a UDP spec only a datagram socket.
    ///
    /// - Parameters:
    ///   - configured: The listeners the configuration asks for.
    ///   - inherited: The verified inherited sockets.
    /// - Returns: Assignments plus what is left over on each side.
    public static func match(configured: [ListenerSpec], inherited: [InheritedListener]) -> Result {
        var available = inherited
        var result = Result(assignments: [], unmatchedSpecs: [], unmatchedListeners: [])
        for spec in configured {
            let index = available.firstIndex { listener in
                spec.accepts(listener.socket.kind) && spec.isServed(by: listener.address, hostNames: .resolve)
            }
            if let index {
                result.assignments.append(Assignment(spec: spec, listener: available.remove(at: index)))
            } else {
                result.unmatchedSpecs.append(spec)
            }
        }
        result.unmatchedListeners = available
        return result
    }
}
