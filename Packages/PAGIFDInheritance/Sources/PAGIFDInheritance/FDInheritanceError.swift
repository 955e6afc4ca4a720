import Glibc

/// Why obtaining, creating, verifying or handing over a listening socket failed.
///
/// Every error names the thing that failed — the environment entry, the descriptor number, the
/// path or address — and its ``description`` says what to change. Match on ``code``; the set of
/// codes may grow, so a `switch` over them needs a `default`.
public struct FDInheritanceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of failure, stable for matching in code and tests.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// A listener spec string (`127.0.0.1:5000`, `[::1]:5000`, `5000`, `/path`) could not be parsed.
        public static let invalidListenerSpec = Code("invalidListenerSpec")
        /// An entry of `SERVER_STARTER_PORT`, `PAGI_REUSE` or the `LISTEN_*` variables is malformed.
        public static let malformedEnvironmentEntry = Code("malformedEnvironmentEntry")
        /// An inherited descriptor number is not open in this process.
        public static let descriptorNotOpen = Code("descriptorNotOpen")
        /// An inherited descriptor is open but is not a socket.
        public static let notASocket = Code("notASocket")
        /// An inherited stream socket is not in the listening state.
        public static let notListening = Code("notListening")
        /// An inherited socket has an address family or type this package does not serve.
        public static let unsupportedSocket = Code("unsupportedSocket")
        /// An inherited socket's real address contradicts the address its environment entry declares.
        public static let addressMismatch = Code("addressMismatch")
        /// A host name could not be resolved to an address to bind.
        public static let addressResolutionFailed = Code("addressResolutionFailed")
        /// A unix socket path is empty or longer than `sun_path` allows (107 bytes).
        public static let invalidUnixPath = Code("invalidUnixPath")
        /// A live server already answers on the unix socket path, or the path is not a socket.
        public static let unixPathInUse = Code("unixPathInUse")
        /// A system call failed; ``FDInheritanceError/errno`` holds the reason.
        public static let systemCallFailed = Code("systemCallFailed")
        /// The socket was already closed or its descriptor was taken over.
        public static let alreadyClosed = Code("alreadyClosed")
        /// A value to render into an environment variable cannot be represented there.
        public static let unrepresentableValue = Code("unrepresentableValue")

        /// The code's name, e.g. `notListening`.
        public var description: String { self.name }
    }

    /// The category of failure.
    public let code: Code
    /// The `errno` reported by the failing system call, if one failed.
    public let errno: Int32?
    /// What failed and how to fix it.
    public let description: String

    init(_ code: Code, _ description: String, errno: Int32? = nil) {
        self.code = code
        self.errno = errno
        if let errno {
            self.description = "\(description): \(String(cString: strerror(errno))) (errno \(errno))"
        } else {
            self.description = description
        }
    }
}

extension FDInheritanceError {
    static func invalidSpec(_ text: String, _ why: String) -> Self {
        Self(.invalidListenerSpec, "invalid listener '\(text)': \(why); expected PORT, HOST:PORT, [IPV6]:PORT or a unix socket path")
    }

    static func malformed(_ variable: String, entry: String, _ why: String) -> Self {
        Self(.malformedEnvironmentEntry, "\(variable) entry '\(entry)' is malformed: \(why)")
    }

    static func systemCall(_ call: String, _ subject: String, errno: Int32) -> Self {
        Self(.systemCallFailed, "\(call) failed for \(subject)", errno: errno)
    }
}
