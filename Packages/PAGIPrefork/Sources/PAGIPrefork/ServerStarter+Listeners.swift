import PAGIFDInheritance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ServerStarter {
    /// The sockets start_server owns for its whole life, and their `SERVER_STARTER_PORT` rendering.
    struct Listeners {
        var sockets: [ListeningSocket] = []
        var entries: [ServerStarterPort.Entry] = []

        var descriptors: [Int32] { self.entries.map(\.descriptor) }

        var serverStarterPort: String {
            // Paths with ';' were rejected when binding, so rendering cannot fail here.
            (try? ServerStarterPort.render(self.entries)) ?? ""
        }

        /// Binds every `--port` then every `--path`, moving sockets to their `=N` numbers.
        static func bind(_ configuration: ServerStarterConfiguration) throws(ServerStarterError) -> Listeners {
            var listeners = Listeners()
            var current = ""
            do {
                let portConfiguration = ListenerConfiguration(backlog: configuration.backlog, reuseAddress: true)
                for port in configuration.ports {
                    current = port.spec.description
                    var socket = try ListeningSocket.bind(port.spec, configuration: portConfiguration)
                    if let target = port.descriptor {
                        let moved = try socket.duplicate(onto: target, inheritable: false)
                        if moved !== socket { try socket.close() }
                        socket = moved
                    }
                    listeners.sockets.append(socket)
                    listeners.entries.append(.init(spec: port.spec, descriptor: socket.descriptor))
                }
                // start_server binds unix sockets under umask 0, so they end up world-accessible.
                let pathConfiguration = ListenerConfiguration(backlog: configuration.backlog, unixSocketMode: 0o777)
                for path in configuration.paths {
                    current = path
                    let spec = ListenerSpec.unix(path: path)
                    let socket = try ListeningSocket.bind(spec, configuration: pathConfiguration)
                    if socket.replacedStaleSocketFile { ServerStarter.log("removing existing socket file:\(path)") }
                    listeners.sockets.append(socket)
                    listeners.entries.append(.init(spec: spec, descriptor: socket.descriptor))
                }
                _ = try ServerStarterPort.render(listeners.entries)
            } catch {
                listeners.close()
                throw .listenFailed(current, reason: "\(error)")
            }
            return listeners
        }

        /// Closes every socket and removes the unix socket files we created.
        func close() {
            for socket in self.sockets where socket.isOpen {
                try? socket.close(removingSocketFile: true)
            }
        }
    }
}

/// Detaching from the terminal for `--daemonize`.
enum Daemon {
    /// fork, setsid, fork: the surviving grandchild is no session leader, so it can never reacquire a
    /// controlling terminal. stdin comes from /dev/null unless a listener was placed on fd 0.
    ///
    /// - Important: `fork` is safe here only because start_server is single-threaded at this point (no
    ///   Foundation, no Swift concurrency): the child gets a consistent copy of the only thread.
    static func detach(keepStandardInput: Bool, keeping descriptors: Set<Int32>) throws(ServerStarterError) {
        switch fork() {
        case -1: throw .daemonizeFailed(reason: String(cString: strerror(errno)))
        case 0: break
        default: _exit(0)
        }
        guard setsid() != -1 else { throw .daemonizeFailed(reason: "setsid: \(String(cString: strerror(errno)))") }
        switch fork() {
        case -1: throw .daemonizeFailed(reason: String(cString: strerror(errno)))
        case 0: break
        default: _exit(0)
        }
        Self.closeInheritedDescriptors(keeping: descriptors)
        if !keepStandardInput {
            let null = open("/dev/null", O_RDONLY)
            if null >= 0 {
                dup2(null, 0)
                if null != 0 { close(null) }
            }
        }
    }

    /// Closes every descriptor above 2 that is not ours. A daemon must not hold its launcher's pipes open: the
    /// launcher (a shell's `$(…)`, Foundation's `Process`) would otherwise wait for an EOF that never comes.
    private static func closeInheritedDescriptors(keeping descriptors: Set<Int32>) {
        guard let directory = opendir("/proc/self/fd") else { return }
        var open: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
            if let descriptor = Int32(name) { open.append(descriptor) }
        }
        let own = dirfd(directory)
        closedir(directory)
        for descriptor in open where descriptor > 2 && descriptor != own && !descriptors.contains(descriptor) {
            close(descriptor)
        }
    }
}
