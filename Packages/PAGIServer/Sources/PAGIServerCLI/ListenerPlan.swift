import ArgumentParser
import PAGIFDInheritance
import PAGIServer
#if canImport(Glibc)
import Glibc
#endif

/// Which listeners this process serves and where each comes from: inherited from a parent
/// (`SERVER_STARTER_PORT`, systemd `LISTEN_FDS`, `PAGI_REUSE`) or to be bound here.
///
/// Rules: under start_server (`SERVER_STARTER_PORT`) every inherited stream socket is served and
/// `--host/--port/--listen/--socket` are refused; with no listener flag, whatever systemd or a
/// hot-restarting master handed down is served; otherwise the configured listeners are matched to
/// the inherited sockets by their real address, the rest are bound, and inherited sockets nobody
/// asked for are closed with a warning.
struct ListenerPlan {
    /// One listener to serve.
    struct Entry {
        /// The address as the server configuration names it.
        var address: PAGIListenAddress
        /// The inherited socket, when there is one; `nil` means "bind it".
        var inherited: InheritedListener?
    }

    var entries: [Entry]
    /// Inherited sockets we do not serve but must not close (start_server's UDP ports). Kept open
    /// for the life of the process.
    var ignored: [InheritedListener]

    static let serverStarterVariable = "SERVER_STARTER_PORT"

    /// Whether any listener flag was given on the command line.
    static func hasExplicitListeners(_ options: PAGIServerOptions) -> Bool {
        options.host != nil || options.port != nil || options.socket != nil || !options.listen.isEmpty
    }

    /// Reads the inherited sockets from the environment (removing `LISTEN_*`) and plans every listener.
    /// - Throws: `ValidationError` for listener flags under start_server; ``PAGIServerError`` when
    ///   an inherited descriptor is malformed, closed, or not the socket its entry claims.
    static func make(options: PAGIServerOptions, configured: [PAGIListenAddress], log: ProcessLog) throws -> ListenerPlan {
        let underServerStarter = getenv(Self.serverStarterVariable) != nil
        if underServerStarter && Self.hasExplicitListeners(options) {
            throw ValidationError(
                "--host, --port, --listen and --socket cannot be used under start_server (SERVER_STARTER_PORT is set): "
                    + "the listeners come from start_server's --port/--path options"
            )
        }
        let inherited: [InheritedListener]
        do {
            inherited = try InheritedListenerDiscovery.discoverInProcessEnvironment()
        } catch {
            throw PAGIServerError(code: .bindFailed, message: "cannot use the inherited listeners: \(error)")
        }
        var streams: [InheritedListener] = []
        var ignored: [InheritedListener] = []
        for listener in inherited {
            if listener.socket.kind == .stream {
                streams.append(listener)
            } else {
                log(.warn, "Inherited fd \(listener.descriptor) (\(listener.entry)) is a \(listener.socket.kind) socket; HTTP needs a stream socket — not served")
                ignored.append(listener)
            }
        }
        if underServerStarter || (!Self.hasExplicitListeners(options) && !streams.isEmpty) {
            return ListenerPlan(entries: streams.map { Entry(address: Self.address(of: $0.address), inherited: $0) }, ignored: ignored)
        }
        var specs: [ListenerSpec] = []
        for address in configured {
            specs.append(try Self.spec(of: address))
        }
        let match = ListenerMatcher.match(configured: specs, inherited: streams)
        var entries: [Entry] = []
        for (address, spec) in zip(configured, specs) {
            let assignment = match.assignments.first { $0.spec == spec }
            entries.append(Entry(address: address, inherited: assignment?.listener))
        }
        for stray in match.unmatchedListeners {
            log(.warn, "Inherited fd \(stray.descriptor) (\(stray.entry)) does not match any listener spec — closing")
            try? stray.socket.close(removingSocketFile: false)
        }
        return ListenerPlan(entries: entries, ignored: ignored)
    }

    /// The configured address as a PAGIFDInheritance spec.
    static func spec(of address: PAGIListenAddress) throws -> ListenerSpec {
        switch address {
        case .tcp(let host, let port):
            guard let port = UInt16(exactly: port) else {
                throw PAGIServerError(code: .bindFailed, message: "port \(port) is outside 0...65535")
            }
            return .tcp(host: host, port: port)
        case .unix(let path, _):
            return .unix(path: path)
        }
    }

    /// The server-side name of a socket's real address.
    static func address(of address: ListenerAddress) -> PAGIListenAddress {
        switch address {
        case .ipv4(let host, let port), .ipv6(let host, let port): .tcp(host: host, port: Int(port))
        case .unix(let path): .unix(path: path, mode: nil)
        }
    }

    /// The log name of where an inherited socket came from.
    static func sourceName(_ source: InheritanceSource) -> String {
        switch source {
        case .serverStarter: "server-starter"
        case .systemd: "systemd"
        case .pagiReuse: "PAGI_REUSE"
        }
    }
}
