import PAGIFDInheritance

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A drop-in Server::Starter: binds the listeners once, then runs generations of a command under a
/// ``GenerationSupervisor`` with `SERVER_STARTER_PORT` and `SERVER_STARTER_GENERATION` set.
///
/// Order of work (so every user error is reported before anything is bound): lock the pid file, open the log
/// destination, bind, daemonize, write the pid, redirect stdout/stderr, supervise. At exit the status file,
/// the pid file and the unix socket files are removed.
public enum ServerStarter {
    /// Runs `configuration` until the supervisor is told to stop; returns the process exit code.
    ///
    /// - Important: Call from a single-threaded process (no Foundation run loop, no Swift concurrency task
    ///   running): `--daemonize` forks, and children are reaped with `waitpid(-1)`.
    /// - Throws: ``ServerStarterError`` for any setup failure (nothing is left bound or locked).
    public static func run(_ configuration: ServerStarterConfiguration) throws(ServerStarterError) -> Int32 {
        let pidFile = try configuration.pidFile.map { (path) throws(ServerStarterError) in try PidFile(lockingAt: path) }
        if let statusFile = configuration.statusFile {
            // Prove the status file is writable now rather than at the first child.
            do {
                try StatusFile.write("", to: statusFile)
            } catch {
                pidFile?.remove()
                throw .cannotOpen(path: statusFile, purpose: "status file", reason: String(cString: strerror(error.errnoValue)))
            }
        }
        if let environmentDirectory = configuration.environmentDirectory {
            _ = try EnvironmentDirectory.load(environmentDirectory)
        }
        let logDescriptor: Int32?
        do {
            logDescriptor = try configuration.logDestination.map { (destination) throws(ServerStarterError) in try openLog(destination) }
        } catch {
            pidFile?.remove()
            throw error
        }

        let listeners: Listeners
        do {
            listeners = try Listeners.bind(configuration)
        } catch {
            pidFile?.remove()
            if let statusFile = configuration.statusFile { unlink(statusFile) }
            throw error
        }
        defer { listeners.close() }

        if configuration.daemonize {
            var keep = Set(listeners.descriptors)
            if let pidFile { keep.insert(pidFile.descriptor) }
            if let logDescriptor { keep.insert(logDescriptor) }
            try Daemon.detach(keepStandardInput: listeners.descriptors.contains(0), keeping: keep)
        }
        if let pidFile { try pidFile.write(pid: getpid()) }
        defer {
            pidFile?.remove()
        }
        if let logDescriptor {
            dup2(logDescriptor, 1)
            dup2(logDescriptor, 2)
            close(logDescriptor)
        }
        Self.log("start_server (pid:\(getpid())) starting now...")

        var baseEnvironment = Self.processEnvironment()
        baseEnvironment[ServerStarterPort.variableName] = listeners.serverStarterPort
        baseEnvironment["SERVER_STARTER_GENERATION"] = "0"
        let notifyDirectory = configuration.waitReady == nil ? nil : Self.makeNotifyDirectory()
        defer { if let notifyDirectory { rmdir(notifyDirectory) } }

        let supervisor = GenerationSupervisor(
            configuration: configuration.supervisorConfiguration,
            statusFile: configuration.statusFile,
            notifyDirectory: notifyDirectory,
            log: Self.log
        ) { generation, notifySocket in
            var environment = baseEnvironment
            if let directory = configuration.environmentDirectory {
                do {
                    environment.merge(try EnvironmentDirectory.load(directory)) { _, new in new }
                } catch {
                    Self.log("\(error); starting with the previous environment")
                }
            }
            environment["SERVER_STARTER_GENERATION"] = String(generation)
            if let notifySocket { environment["NOTIFY_SOCKET"] = notifySocket }
            return ChildProcessSpec(
                arguments: configuration.command,
                environment: environment,
                directory: configuration.directory,
                inheritedDescriptors: listeners.descriptors
            )
        }
        do {
            return try supervisor.run()
        } catch {
            Self.log("supervisor failed: \(error)")
            return 1
        }
    }

    /// Writes one line to stderr with a single `write`, so lines from several processes do not interleave.
    static func log(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(2, raw.baseAddress.map { $0 + offset }, raw.count - offset)
                if written > 0 { offset += written } else if written == -1 && errno == EINTR { continue } else { return }
            }
        }
    }

    static func processEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return environment
    }

    private static func makeNotifyDirectory() -> String? {
        let base = Self.processEnvironment()["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/start_server.XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
    }

    private static func openLog(_ destination: ServerStarterConfiguration.LogDestination) throws(ServerStarterError) -> Int32 {
        switch destination {
        case .file(let path):
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw .cannotOpen(path: path, purpose: "log file", reason: String(cString: strerror(errno)))
            }
            return descriptor
        case .command(let command):
            do {
                let ends = try pagiMakePipe()
                // The logger reads blocking; only our write end stays non-blocking-free for plain writes.
                let flags = fcntl(ends.write, F_GETFL)
                _ = fcntl(ends.write, F_SETFL, flags & ~O_NONBLOCK)
                let readFlags = fcntl(ends.read, F_GETFL)
                _ = fcntl(ends.read, F_SETFL, readFlags & ~O_NONBLOCK)
                var spec = ChildProcessSpec(arguments: ["/bin/sh", "-c", command], environment: Self.processEnvironment())
                spec.placedDescriptors = [(target: 0, source: ends.read)]
                // Its own process group: a Ctrl-C for the server must not kill the logger before "exiting" is logged.
                spec.newProcessGroup = true
                _ = try ChildProcessSpawner.spawn(spec)
                close(ends.read)
                return ends.write
            } catch {
                throw .cannotOpen(path: command, purpose: "log pipe", reason: "\(error)")
            }
        }
    }
}
