import PAGIPrefork
import PAGIServer
#if canImport(Glibc)
import Glibc
#endif

/// The deployment steps of the Perl prefork servers, in their order: umask, error log, user and
/// group lookup and pid file (all checked before anything is bound), `--daemonize`, and dropping
/// privileges once the listeners are bound.
struct ProcessDeployment {
    var options: PAGIProcessOptions
    /// The identity to switch to after binding, resolved up front.
    private(set) var identity: (uid: uid_t?, gids: [gid_t])?
    private var pidFile: PidFile?

    static let daemonizedVariable = "PAGI_DAEMONIZED"

    init(options: PAGIProcessOptions) {
        self.options = options
    }

    /// Everything that can fail before binding. Returns `false` when this process was the
    /// launcher of `--daemonize` and must exit 0 now (the daemon carries on).
    mutating func prepare(log: ProcessLog) throws -> Bool {
        if let text = self.options.umask, let mask = PAGIProcessOptions.parseOctal(text) {
            Glibc.umask(mode_t(mask))
        }
        if let path = self.options.errorLog {
            let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw PAGIServerError(code: .bindFailed, message: "cannot open the error log \(path): \(String(cString: strerror(errno)))")
            }
            dup2(descriptor, 2)
            close(descriptor)
        }
        self.identity = try Self.resolveIdentity(user: self.options.user, group: self.options.group)
        let handedOver = getenv("PAGI_MASTER_PID") != nil
        if self.options.daemonize && getenv(Self.daemonizedVariable) == nil && !handedOver {
            if let path = self.options.pid {
                // Checked here so the error reaches the terminal; the daemon takes the lock.
                let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
                guard descriptor >= 0 else {
                    throw PAGIServerError(code: .bindFailed, message: "cannot open the pid file \(path): \(String(cString: strerror(errno)))")
                }
                close(descriptor)
            }
            try Self.spawnDaemon(log: log)
            return false
        }
        unsetenv(Self.daemonizedVariable)
        if let path = self.options.pid {
            if handedOver {
                // The old master holds the lock until it retires; the new one just records itself.
                let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                if descriptor >= 0 {
                    let text = Array("\(getpid())\n".utf8)
                    _ = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    close(descriptor)
                }
            } else {
                do {
                    let file = try PidFile(lockingAt: path)
                    try file.write(pid: getpid())
                    self.pidFile = file
                } catch {
                    throw PAGIServerError(code: .bindFailed, message: "\(error)")
                }
            }
        }
        return true
    }

    /// Switches to `--user`/`--group` (call once the listeners are bound).
    func dropPrivileges() throws {
        try Self.dropPrivileges(self.identity, user: self.options.user, group: self.options.group)
    }

    /// Switches to `identity`; `user` and `group` name it in error messages.
    static func dropPrivileges(_ identity: (uid: uid_t?, gids: [gid_t])?, user: String?, group: String?) throws {
        guard let identity else { return }
        if let uid = identity.uid, geteuid() == uid { return }  // already (a hot-restarted master)
        if !identity.gids.isEmpty {
            guard setgroups(identity.gids.count, identity.gids) == 0, setgid(identity.gids[0]) == 0 else {
                throw PAGIServerError(code: .permissionDenied, message: "Cannot change to group \(group ?? "\(identity.gids[0])"): \(String(cString: strerror(errno)))")
            }
        }
        if let uid = identity.uid {
            guard setuid(uid) == 0 else {
                throw PAGIServerError(code: .permissionDenied, message: "Cannot change to user \(user ?? "\(uid)"): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Removes the pid file at a normal exit (not after handing over to a new master).
    func finish(handedOver: Bool) {
        if !handedOver { self.pidFile?.remove() }
    }

    static func resolveIdentity(user: String?, group: String?) throws -> (uid: uid_t?, gids: [gid_t])? {
        guard user != nil || group != nil else { return nil }
        var uid: uid_t?
        var gids: [gid_t] = []
        if let group {
            for name in group.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) {
                if let entry = getgrnam(name) {
                    gids.append(entry.pointee.gr_gid)
                } else if let number = gid_t(name), getgrgid(number) != nil {
                    gids.append(number)
                } else {
                    throw PAGIServerError(code: .permissionDenied, message: "Unknown group: \(name)")
                }
            }
        }
        if let user {
            let entry = getpwnam(user) ?? uid_t(user).flatMap { getpwuid($0) }
            guard let entry else { throw PAGIServerError(code: .permissionDenied, message: "Unknown user: \(user)") }
            uid = entry.pointee.pw_uid
            if gids.isEmpty { gids = [entry.pointee.pw_gid] }
        }
        if let uid, geteuid() == uid, gids.allSatisfy({ $0 == getegid() }) { return (uid, gids) }
        guard geteuid() == 0 else {
            throw PAGIServerError(code: .permissionDenied, message: "Must run as root to use --user/--group")
        }
        return (uid, gids)
    }

    /// Starts this program again in a new session with stdio on /dev/null (stderr: the error log,
    /// already on fd 2) — a re-exec rather than a fork, because this process already runs threads.
    static func spawnDaemon(log: ProcessLog) throws {
        var environment = PreforkMaster.processEnvironment()
        environment[Self.daemonizedVariable] = "1"
        var spec = ChildProcessSpec(arguments: [PreforkMaster.executablePath()] + Array(CommandLine.arguments.dropFirst()), environment: environment)
        spec.newSession = true
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { throw PAGIServerError(code: .bindFailed, message: "cannot open /dev/null to daemonize") }
        defer { close(null) }
        let stderrTarget: Int32 = isatty(2) != 0 ? null : 2
        spec.placedDescriptors = [(target: 0, source: null), (target: 1, source: null), (target: 2, source: stderrTarget)]
        do {
            let pid = try ChildProcessSpawner.spawn(spec)
            log(.info, "Daemonized as pid \(pid)")
        } catch {
            throw PAGIServerError(code: .bindFailed, message: "cannot daemonize: \(error)")
        }
    }
}
