import PAGIFDInheritance
import PAGIPrefork
import PAGIServer
#if canImport(Glibc)
import Glibc
#endif

/// The master of `pagi-server --workers N`: binds (or inherits) every listener, then supervises N
/// worker processes through PAGIPrefork's ``WorkerPool``. It runs no application code and no event
/// loop: one thread blocked in `poll` on signals, child exits and heartbeat pipes.
///
/// Workers are this same executable with the same arguments, marked by `PAGI_WORKER_NUM`; they
/// inherit the listening sockets (described in `PAGI_WORKER_LISTENERS`) and the write end of their
/// heartbeat pipe (`PAGI_HEARTBEAT_FD`). USR2 starts a new master the same way, with the listeners
/// in `PAGI_REUSE` and this master's pid in `PAGI_MASTER_PID`.
struct PreforkMaster {
    var options: PAGIServerOptions
    var plan: ListenerPlan
    var log: ProcessLog
    var deployment: ProcessDeployment

    /// A listener the master holds for its workers.
    private struct Held {
        var socket: ListeningSocket
        var source: String
    }

    /// Runs until the pool has stopped; returns the process exit code.
    func run() throws -> Int32 {
        let process = self.options.process
        var held: [Held] = []
        var reusePortEntries: [PAGIReuse.Entry] = []
        do {
            for entry in self.plan.entries {
                if let inherited = entry.inherited {
                    held.append(Held(socket: inherited.socket, source: ListenerPlan.sourceName(inherited.source)))
                    continue
                }
                let spec = try ListenerPlan.spec(of: entry.address)
                if process.reuseport, case .tcp = spec {
                    // Probe-bind to learn the port (and fail early), then let each worker bind its own.
                    let probe = try PAGIServerLauncher.bind(spec, mode: nil, backlog: self.options.listenerBacklog, reusePort: true)
                    let address = probe.address
                    try? probe.close()
                    if case .ipv4(let host, let port) = address { reusePortEntries.append(PAGIReuse.Entry(spec: .tcp(host: host, port: port), descriptor: 0)) }
                    if case .ipv6(let host, let port) = address { reusePortEntries.append(PAGIReuse.Entry(spec: .tcp(host: host, port: port), descriptor: 0)) }
                    continue
                }
                var mode: UInt16?
                if case .unix(_, let unixMode) = entry.address { mode = unixMode }
                held.append(Held(socket: try PAGIServerLauncher.bind(spec, mode: mode, backlog: self.options.listenerBacklog), source: "bound"))
            }
        } catch {
            for listener in held { try? listener.socket.close(removingSocketFile: listener.source == "bound") }
            throw error
        }
        var keepListeners = false
        do {
            try self.deployment.dropPrivileges()
        } catch {
            for listener in held { try? listener.socket.close(removingSocketFile: listener.source == "bound") }
            throw error
        }
        defer {
            self.deployment.finish(handedOver: keepListeners)
            for listener in held { try? listener.socket.close(removingSocketFile: !keepListeners) }
            withExtendedLifetime(self.plan.ignored) {}
        }

        let listenerEntries = try held.map { try Self.reuseEntry($0.socket) }
        let sharedText = try PAGIReuse.render(listenerEntries)
        let reusePortText = reusePortEntries.isEmpty ? "" : try PAGIReuse.render(reusePortEntries)
        let descriptors = held.map(\.socket.descriptor)

        let oldMaster = getenv("PAGI_MASTER_PID").flatMap { Int32(String(cString: $0)) }
        unsetenv("PAGI_MASTER_PID")
        unsetenv(PAGIReuse.variableName)
        var environment = Self.processEnvironment()
        for name in PAGIServerLauncher.WorkerEnvironment.all { environment.removeValue(forKey: name) }
        let executable = Self.executablePath()
        let arguments = [executable] + Array(CommandLine.arguments.dropFirst())

        let names = (held.map { "\(ListenerPlan.address(of: $0.socket.address)) (\($0.source))" }
            + reusePortEntries.map { "\(ListenerPlan.address(of: Self.listenerAddress($0.spec))) (SO_REUSEPORT per worker)" })
            // The workers serve TCP listeners over TLS when --ssl-cert is given.
            .map { self.options.tls.isEnabled && $0.hasPrefix("http://") ? "https://" + $0.dropFirst("http://".count) : $0 }
        self.log(.info, "PAGI Server master \(getpid()) listening on \(names.joined(separator: ", ")) with \(process.workers) workers")

        let heartbeatTimeout: Duration? = process.heartbeatTimeout > 0 ? .seconds(process.heartbeatTimeout) : nil
        let configuration = WorkerPoolConfiguration(
            workers: process.workers,
            spawnInterval: .milliseconds(Int(process.spawnInterval * 1000)),
            shutdownTimeout: .seconds(self.options.shutdownTimeout),
            heartbeatTimeout: heartbeatTimeout,
            hotRestartGrace: .seconds((process.heartbeatTimeout > 0 ? process.heartbeatTimeout : 10) / 2 + 1)
        )
        let log = self.log
        let pool = WorkerPool(
            configuration: configuration,
            oldMaster: oldMaster,
            log: { level, line in
                switch level {
                case .info: log(.info, line)
                case .warning: log(.warn, line)
                case .error: log(.error, line)
                }
            },
            makeWorker: { number, heartbeat in
                var workerEnvironment = environment
                workerEnvironment.removeValue(forKey: "NOTIFY_SOCKET")
                workerEnvironment[PAGIServerLauncher.WorkerEnvironment.number] = String(number)
                workerEnvironment[PAGIServerLauncher.WorkerEnvironment.listeners] = sharedText
                if !reusePortText.isEmpty { workerEnvironment[PAGIServerLauncher.WorkerEnvironment.reusePort] = reusePortText }
                var inherited = descriptors
                if let heartbeat {
                    workerEnvironment[PAGIServerLauncher.WorkerEnvironment.heartbeat] = String(heartbeat)
                    inherited.append(heartbeat)
                }
                return ChildProcessSpec(arguments: arguments, environment: workerEnvironment, inheritedDescriptors: inherited)
            },
            makeNewMaster: {
                var masterEnvironment = environment
                masterEnvironment[PAGIReuse.variableName] = sharedText
                masterEnvironment["PAGI_MASTER_PID"] = String(getpid())
                log(.info, "Received USR2, starting a new master (\(executable)) with the listeners in PAGI_REUSE")
                return ChildProcessSpec(arguments: arguments, environment: masterEnvironment, inheritedDescriptors: descriptors)
            }
        )
        let notifier = SystemdNotifier()
        pool.onReady = { notifier.ready() }
        pool.onStopping = { notifier.stopping() }
        let outcome: WorkerPool.Outcome
        do {
            outcome = try pool.run()
        } catch {
            throw PAGIServerError(code: .bindFailed, message: "cannot supervise workers: \(error)")
        }
        keepListeners = outcome.keepListeners
        return outcome.code
    }

    /// The `PAGI_REUSE` entry describing a held socket.
    static func reuseEntry(_ socket: ListeningSocket) throws -> PAGIReuse.Entry {
        switch socket.address {
        case .ipv4(let host, let port), .ipv6(let host, let port):
            PAGIReuse.Entry(spec: .tcp(host: host, port: port), descriptor: socket.descriptor)
        case .unix(let path):
            PAGIReuse.Entry(spec: .unix(path: path), descriptor: socket.descriptor)
        }
    }

    static func listenerAddress(_ spec: ListenerSpec) -> ListenerAddress {
        switch spec {
        case .tcp(let host, let port), .udp(let host, let port):
            let name = host ?? "0.0.0.0"
            return name.contains(":") ? .ipv6(host: name, port: port) : .ipv4(host: name, port: port)
        case .unix(let path):
            return .unix(path: path)
        }
    }

    /// This process's environment as a dictionary.
    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            cursor += 1
        }
        return result
    }

    /// The program to start workers and new masters from: `argv[0]` made absolute when it names a
    /// file (so a hot restart picks up a binary replaced at that path), else `/proc/self/exe`.
    static func executablePath() -> String {
        let first = CommandLine.arguments.first ?? ""
        if first.contains("/"), let resolved = realpath(first, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 { return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return first
    }
}
