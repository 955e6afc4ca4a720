import ArgumentParser
import PAGI
import PAGIFDInheritance
import PAGIServer
import PAGITLS
#if canImport(Glibc)
import Glibc
#endif

/// Decides this process's role and runs it: a prefork worker (spawned by a master, marked by
/// `PAGI_WORKER_NUM`), a prefork master (`--workers N`, N > 1), or a single-process server.
struct PAGIServerLauncher {
    var options: PAGIServerOptions

    /// Environment variables a master sets for its workers.
    enum WorkerEnvironment {
        /// The worker's number, `1…N`.
        static let number = "PAGI_WORKER_NUM"
        /// The shared listeners, in `PAGI_REUSE` form.
        static let listeners = "PAGI_WORKER_LISTENERS"
        /// The write end of the heartbeat pipe.
        static let heartbeat = "PAGI_HEARTBEAT_FD"
        /// `--reuseport`: the TCP addresses each worker binds itself, in `PAGI_REUSE` form with fd 0.
        static let reusePort = "PAGI_WORKER_REUSEPORT"
        static let all = [number, listeners, heartbeat, reusePort]
    }

    var log: ProcessLog { ProcessLog(level: self.options.logLevel, quiet: self.options.quiet) }

    func run(app: @escaping PAGIApp) async throws {
        Self.closeInheritedDescriptorsOnExec()
        if let text = getenv(WorkerEnvironment.number).map({ String(cString: $0) }) {
            guard let number = Int(text), number >= 1 else {
                throw PAGIServerError(code: .bindFailed, message: "\(WorkerEnvironment.number)=\(text) is not a worker number")
            }
            try await self.runWorker(number: number, app: app)
            return
        }
        var deployment = ProcessDeployment(options: self.options.process)
        guard try deployment.prepare(log: self.log) else { return }  // the daemon carries on
        var configuration = try self.options.makeConfiguration()
        configuration.process.maxRequestsPerConnection = self.options.process.maxKeepaliveReqs
        let plan = try ListenerPlan.make(options: self.options, configured: configuration.listeners, log: self.log)
        if self.options.process.isMultiWorker {
            let code = try PreforkMaster(options: self.options, plan: plan, log: self.log, deployment: deployment).run()
            if code != 0 { throw ExitCode(code) }
            return
        }
        configuration.listeners = []
        for entry in plan.entries {
            configuration.listeners.append(entry.address)
            if let inherited = entry.inherited {
                let descriptor = try Self.release(inherited.socket)
                configuration.process.adoptedListeners[entry.address] = PAGIAdoptedListener(
                    descriptor: descriptor,
                    source: ListenerPlan.sourceName(inherited.source),
                    // Only systemd hands a socket to this process alone; start_server's generations
                    // overlap on it during a restart.
                    isShared: inherited.source != .systemd
                )
            } else if case .unix(let path, let mode) = entry.address, path.hasPrefix("@") {
                // Abstract sockets have no file: PAGIFDInheritance binds them, the server adopts them.
                let socket = try Self.bind(.unix(path: path), mode: mode, backlog: self.options.listenerBacklog)
                configuration.process.adoptedListeners[entry.address] = PAGIAdoptedListener(descriptor: try Self.release(socket), source: "abstract", isShared: false)
            }
        }
        if configuration.process.adoptedListeners.values.contains(where: \.isShared) {
            configuration.process.lameDuckPeriod = .seconds(1)
        }
        let server = PAGIServer(configuration: configuration, app: app)
        let certificateFile = configuration.tls?.certificateChainFile
        let notifier = SystemdNotifier()
        let log = self.log
        let handlers: [(CInt, @Sendable () -> Void)] = [
            (SIGTERM, { @Sendable in notifier.stopping(); server.shutdownGracefully() }),
            (SIGINT, { @Sendable in notifier.stopping(); server.shutdownGracefully() }),
            // With TLS, HUP re-reads the certificate files (certbot renewals); otherwise it is ignored.
            (SIGHUP, { @Sendable in Self.reloadCertificates(server: server, certificateFile: certificateFile, log: log) }),
            (SIGUSR2, { @Sendable in log(.warn, "Received USR2: hot restart needs --workers N (single-process mode); ignoring") }),
        ]
        let signals = ProcessSignals(handlers: handlers)
        defer { signals.cancel() }
        withExtendedLifetime(plan.ignored) {}
        let identity = deployment.identity
        let (user, group) = (self.options.process.user, self.options.process.group)
        defer { deployment.finish(handedOver: false) }
        try await server.run(handleSignals: false, onReady: { _ in
            do {
                try ProcessDeployment.dropPrivileges(identity, user: user, group: group)
            } catch {
                log(.error, "Error: \(error)")
                exit(1)
            }
            notifier.ready()
        })
        withExtendedLifetime(plan.ignored) {}
    }

    /// A prefork worker: serves the master's listeners with its own event loop and lifespan.
    private func runWorker(number: Int, app: @escaping PAGIApp) async throws {
        var configuration = try self.options.makeConfiguration()
        configuration.listeners = []
        configuration.process.workerNumber = number
        configuration.process.maxRequestsPerConnection = self.options.process.maxKeepaliveReqs
        let log = self.log
        var environment: [String: String] = [:]
        if let value = getenv(WorkerEnvironment.listeners) { environment[PAGIReuse.variableName] = String(cString: value) }
        let shared: [InheritedListener]
        do {
            shared = try InheritedListenerDiscovery.discover(environment: environment, processID: getpid(), sources: .pagiReuse)
        } catch {
            log(.error, "Worker \(number) (\(getpid())): startup failed: cannot use the master's listeners: \(error)")
            exit(2)
        }
        for listener in shared {
            let address = ListenerPlan.address(of: listener.address)
            configuration.listeners.append(address)
            configuration.process.adoptedListeners[address] = PAGIAdoptedListener(descriptor: try Self.release(listener.socket), source: "master")
        }
        if let value = getenv(WorkerEnvironment.reusePort).map({ String(cString: $0) }), !value.isEmpty {
            do {
                for entry in try PAGIReuse.parse(value) {
                    let socket = try ListeningSocket.bind(
                        entry.spec,
                        configuration: ListenerConfiguration(backlog: Int32(clamping: self.options.listenerBacklog), reusePort: true)
                    )
                    let address = ListenerPlan.address(of: socket.address)
                    configuration.listeners.append(address)
                    configuration.process.adoptedListeners[address] = PAGIAdoptedListener(
                        descriptor: try Self.release(socket),
                        source: "master",
                        isShared: false
                    )
                }
            } catch {
                log(.error, "Worker \(number) (\(getpid())): startup failed: cannot bind its SO_REUSEPORT listener: \(error)")
                exit(2)
            }
        }
        if let text = getenv(WorkerEnvironment.heartbeat).map({ String(cString: $0) }), let descriptor = Int32(text) {
            let timeout = self.options.process.heartbeatTimeout
            configuration.process.heartbeat = (descriptor, .milliseconds(timeout * 1000 / 5))
        }
        configuration.process.lameDuckPeriod = .seconds(1)
        let process = self.options.process
        if process.maxRequests > 0 {
            let minimum = process.minReqsPerChild ?? process.maxRequests
            configuration.process.maxRequests = Int.random(in: minimum...process.maxRequests)
        }
        let server = PAGIServer(configuration: configuration, app: app)
        // The master coordinates Ctrl-C (a terminal sends INT to the whole group) and the other
        // master signals; a worker only acts on TERM.
        let signals = ProcessSignals(
            handlers: [(SIGTERM, { @Sendable in server.shutdownGracefully() })],
            ignored: [SIGINT, SIGHUP, SIGUSR2, SIGTTIN, SIGTTOU, SIGQUIT]
        )
        defer { signals.cancel() }
        do {
            try await server.run(handleSignals: false)
        } catch let error as PAGIServerError where error.code == .lifespanStartupFailed {
            log(.error, "Worker \(number) (\(getpid())): startup failed: \(error.message)")
            exit(2)
        }
    }

    /// Single-process `SIGHUP`: reloads the TLS certificate when TLS is on (a broken renewal is
    /// logged and the old certificate stays), otherwise says that graceful restart needs workers.
    /// Runs on the signal queue, off the event loops, as ``PAGIServer/reloadTLSCertificates()`` requires.
    static func reloadCertificates(server: PAGIServer, certificateFile: String?, log: ProcessLog) {
        guard let certificateFile else {
            log(.warn, "Received HUP: graceful restart needs --workers N (single-process mode); ignoring")
            return
        }
        do {
            try server.reloadTLSCertificates()
            log(.info, "Received HUP signal: reloaded TLS certificate \(certificateFile)")
        } catch {
            log(.error, "Received HUP signal: TLS certificate reload failed, still serving the previous certificate: \(error)")
        }
    }

    /// Marks every descriptor above stderr close-on-exec, so the workers, new masters and daemons
    /// this process starts get only what they are given explicitly. Without it a launcher's
    /// pipes (a test harness, a process manager watching for EOF) would stay open in them and
    /// the launcher would never see this process end. Listeners are still found: the flag does
    /// not close anything here.
    static func closeInheritedDescriptorsOnExec() {
        guard let directory = opendir("/proc/self/fd") else { return }
        defer { closedir(directory) }
        let own = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let descriptor = Int32(name), descriptor > 2, descriptor != own else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// Hands a socket's descriptor over to the server (whose channel then closes it).
    static func release(_ socket: ListeningSocket) throws -> Int32 {
        do {
            return try socket.takeDescriptorOwnership()
        } catch {
            throw PAGIServerError(code: .bindFailed, message: "cannot take over \(socket.address): \(error)")
        }
    }

    /// Binds a listener through PAGIFDInheritance, with the server's error codes.
    static func bind(_ spec: ListenerSpec, mode: UInt16?, backlog: Int, reusePort: Bool = false) throws -> ListeningSocket {
        do {
            return try ListeningSocket.bind(
                spec,
                configuration: ListenerConfiguration(
                    backlog: Int32(clamping: backlog),
                    reusePort: reusePort,
                    unixSocketMode: UInt32(mode ?? 0o600)
                )
            )
        } catch {
            if error.errno == EADDRINUSE, case .tcp(_, let port) = spec {
                throw PAGIServerError(code: .portInUse, message: "port \(port) is already in use (choose another with --port, or stop the process holding it)")
            }
            throw PAGIServerError(code: .bindFailed, message: "cannot listen on \(spec): \(error)")
        }
    }
}
