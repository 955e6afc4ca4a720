internal import CPAGIOpenSSL

/// The entries of OpenSSL's per-thread error queue, drained at the point where an OpenSSL call failed.
///
/// OpenSSL reports *why* something failed by pushing entries onto a thread-local queue. Reading the
/// queue right after the failing call, before any other OpenSSL call on the same thread, is the only
/// way to attribute the reasons to the right connection or file — which is why every failure path in
/// this module captures a stack immediately.
public struct OpenSSLErrorStack: Sendable, Hashable, CustomStringConvertible {
    /// One queued OpenSSL error.
    public struct Entry: Sendable, Hashable, CustomStringConvertible {
        /// The packed OpenSSL error code (`ERR_get_error`).
        public var code: UInt
        /// The library that raised it, e.g. `SSL routines`, when OpenSSL knows it.
        public var library: String?
        /// The reason string, e.g. `wrong version number`, when OpenSSL knows it.
        public var reason: String?

        /// Creates an entry.
        /// - Parameters:
        ///   - code: The packed OpenSSL error code.
        ///   - library: The library name, if known.
        ///   - reason: The reason string, if known.
        public init(code: UInt, library: String?, reason: String?) {
            self.code = code
            self.library = library
            self.reason = reason
        }

        /// `reason (library)`, or the hexadecimal code when OpenSSL has no strings for it.
        public var description: String {
            let reason = self.reason ?? "error 0x\(String(self.code, radix: 16))"
            guard let library = self.library else { return reason }
            return "\(reason) (\(library))"
        }
    }

    /// The drained entries, oldest (the root cause) first.
    public var entries: [Entry]

    /// Creates a stack from entries, oldest first.
    /// - Parameter entries: The entries.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// The reasons joined with `; `, or `no OpenSSL error queued` when the queue was empty.
    public var description: String {
        guard !self.entries.isEmpty else { return "no OpenSSL error queued" }
        return self.entries.map(\.description).joined(separator: "; ")
    }

    /// Removes every entry from the calling thread's OpenSSL error queue and returns them.
    ///
    /// - Returns: The drained entries, oldest first; empty when nothing was queued.
    static func drain() -> OpenSSLErrorStack {
        var entries: [Entry] = []
        while true {
            let code = ERR_get_error()
            guard code != 0 else { break }
            entries.append(
                Entry(
                    code: UInt(code),
                    library: ERR_lib_error_string(code).map { String(cString: $0) },
                    reason: ERR_reason_error_string(code).map { String(cString: $0) }
                )
            )
        }
        return OpenSSLErrorStack(entries: entries)
    }

    /// Empties the calling thread's error queue so that a later ``drain()`` reports only new failures.
    ///
    /// Connections on one event loop share a thread, and so share the queue: a stale entry left by one
    /// connection would otherwise be blamed on the next.
    static func clear() {
        // The queue is almost always empty already: peeking is one lookup of the thread's error
        // state, while ERR_clear_error also resets every slot of it (it showed in the keep-alive profile).
        if ERR_peek_error() != 0 {
            ERR_clear_error()
        }
    }
}
