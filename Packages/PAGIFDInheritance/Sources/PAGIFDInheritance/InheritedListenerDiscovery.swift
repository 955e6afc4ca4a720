import Glibc

/// Finds the listening sockets a parent handed to this process and takes ownership of them.
///
/// Reads, in order of precedence, `PAGI_REUSE`, the systemd `LISTEN_*` variables and
/// `SERVER_STARTER_PORT`. Every descriptor is verified before use — it must be open, a socket,
/// bound to the address its entry declares, and listening (datagram sockets: bound) — and is then
/// set close-on-exec, as sd_listen_fds(3) does, so it does not leak into unrelated children;
/// clear the flag with ``ListeningSocket/setInheritable(_:)`` on the ones you pass on.
///
/// A descriptor named by several variables (a server under start_server that hot-restarts itself)
/// is adopted once, under the first variable that names it.
///
/// All-or-nothing: on any error nothing has been adopted, so no ``ListeningSocket`` is left to close.
public enum InheritedListenerDiscovery {
    /// Which handoff protocols to read.
    public struct Sources: OptionSet, Sendable, Hashable {
        /// The bits of the set.
        public let rawValue: UInt8
        /// Creates a set from raw bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// `PAGI_REUSE`.
        public static let pagiReuse = Sources(rawValue: 1 << 0)
        /// `LISTEN_FDS`/`LISTEN_PID`/`LISTEN_FDNAMES`.
        public static let systemd = Sources(rawValue: 1 << 1)
        /// `SERVER_STARTER_PORT`.
        public static let serverStarter = Sources(rawValue: 1 << 2)
        /// All three.
        public static let all: Sources = [.pagiReuse, .systemd, .serverStarter]
    }

    /// Discovers listeners from this process's environment, removing the systemd variables.
    ///
    /// The `LISTEN_*` variables are unset whenever systemd is among `sources`, whether or not
    /// `LISTEN_PID` matched, as sd_listen_fds(3) requires, so children never misread them.
    ///
    /// - Parameter sources: Which protocols to read; all by default.
    /// - Returns: The adopted listeners, `PAGI_REUSE` first, then systemd, then Server::Starter.
    /// - Throws: ``FDInheritanceError`` naming the first malformed entry or bad descriptor.
    /// - Warning: Changes the process environment (`unsetenv`); call it once, at startup, before
    ///   other threads read the environment.
    public static func discoverInProcessEnvironment(sources: Sources = .all) throws(FDInheritanceError) -> [InheritedListener] {
        var environment: [String: String] = [:]
        for name in [PAGIReuse.variableName, ServerStarterPort.variableName] + SystemdSocketActivation.variableNames {
            if let value = getenv(name) {
                environment[name] = String(cString: value)
            }
        }
        if sources.contains(.systemd) {
            for name in SystemdSocketActivation.variableNames {
                unsetenv(name)
            }
        }
        return try Self.discover(environment: environment, processID: getpid(), sources: sources)
    }

    /// Discovers listeners from the given variables, without touching the process environment.
    ///
    /// - Parameters:
    ///   - environment: The variables to read (others are ignored).
    ///   - processID: The pid `LISTEN_PID` must equal.
    ///   - sources: Which protocols to read; all by default.
    /// - Returns: The adopted listeners, `PAGI_REUSE` first, then systemd, then Server::Starter.
    /// - Throws: ``FDInheritanceError`` naming the first malformed entry or bad descriptor.
    public static func discover(
        environment: [String: String],
        processID: Int32,
        sources: Sources = .all
    ) throws(FDInheritanceError) -> [InheritedListener] {
        let declarations = try Self.declarations(environment: environment, processID: processID, sources: sources)

        // Verify everything before adopting anything, so an error leaves no half-owned descriptors.
        var verified: [(Declaration, SocketInspector.Facts)] = []
        var seen: [Int32: SocketInspector.Facts] = [:]
        for declaration in declarations {
            let facts: SocketInspector.Facts
            if let known = seen[declaration.descriptor] {
                facts = known
            } else {
                facts = try SocketInspector.verify(declaration.descriptor, origin: declaration.origin)
            }
            if let spec = declaration.spec {
                guard spec.isServed(by: facts.address, hostNames: .portOnly) else {
                    throw FDInheritanceError(
                        .addressMismatch,
                        "inherited fd \(declaration.descriptor) (\(declaration.origin)) is bound to \(facts.address), not \(spec); the parent passed the wrong descriptor"
                    )
                }
            }
            if seen[declaration.descriptor] == nil {
                seen[declaration.descriptor] = facts
                verified.append((declaration, facts))
            }
        }

        for (declaration, _) in verified {
            let fd = declaration.descriptor
            let flags = try SystemCall.run("fcntl(F_GETFD)", "inherited fd \(fd) (\(declaration.origin))", descriptor: .foreign) { fcntl(fd, F_GETFD) }
            _ = try SystemCall.run("fcntl(F_SETFD)", "inherited fd \(fd) (\(declaration.origin))", descriptor: .foreign) {
                fcntl(fd, F_SETFD, flags | FD_CLOEXEC)
            }
        }
        return verified.map { declaration, facts in
            InheritedListener(
                socket: ListeningSocket(
                    adopting: declaration.descriptor,
                    address: facts.address,
                    kind: facts.kind,
                    origin: .inherited(declaration.source)
                ),
                source: declaration.source,
                entry: declaration.entry,
                declaredSpec: declaration.spec,
                name: declaration.name
            )
        }
    }

    /// One descriptor as an environment variable declares it, before verification.
    private struct Declaration {
        var descriptor: Int32
        var source: InheritanceSource
        var entry: String
        var spec: ListenerSpec?
        var name: String?

        var origin: String {
            switch self.source {
            case .systemd: "systemd LISTEN_FDS"
            case .pagiReuse, .serverStarter: "\(self.source) entry '\(self.entry)'"
            }
        }
    }

    private static func declarations(
        environment: [String: String],
        processID: Int32,
        sources: Sources
    ) throws(FDInheritanceError) -> [Declaration] {
        var result: [Declaration] = []
        if sources.contains(.pagiReuse), let value = environment[PAGIReuse.variableName] {
            for entry in try PAGIReuse.parse(value) {
                let text = PAGIReuse.entryText(entry)
                result.append(Declaration(descriptor: entry.descriptor, source: .pagiReuse, entry: text, spec: entry.spec))
            }
        }
        if sources.contains(.systemd) {
            let entries = try SystemdSocketActivation.parse(
                listenFDs: environment["LISTEN_FDS"],
                listenPID: environment["LISTEN_PID"],
                listenFDNames: environment["LISTEN_FDNAMES"],
                processID: processID
            )
            for entry in entries {
                result.append(Declaration(descriptor: entry.descriptor, source: .systemd, entry: "LISTEN_FDS fd \(entry.descriptor)", name: entry.name))
            }
        }
        if sources.contains(.serverStarter), let value = environment[ServerStarterPort.variableName] {
            for entry in try ServerStarterPort.parse(value) {
                result.append(Declaration(descriptor: entry.descriptor, source: .serverStarter, entry: "\(entry.spec)=\(entry.descriptor)", spec: entry.spec))
            }
        }
        return result
    }
}

extension PAGIReuse {
    /// One entry in its rendered form, for messages.
    static func entryText(_ entry: Entry) -> String {
        switch entry.spec {
        case .tcp(let host, let port), .udp(let host, let port): "\(host ?? "0.0.0.0"):\(port):\(entry.descriptor)"
        case .unix(let path): "unix:\(path):\(entry.descriptor)"
        }
    }
}
