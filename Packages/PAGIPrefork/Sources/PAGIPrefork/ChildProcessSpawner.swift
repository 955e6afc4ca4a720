#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything needed to start one child: its command, environment, working directory and inherited descriptors.
public struct ChildProcessSpec: Sendable, Hashable {
    /// The command; `arguments[0]` is looked up in `PATH` when it has no slash.
    public var arguments: [String]
    /// The complete environment of the child, as `NAME=value` pairs.
    public var environment: [String: String]
    /// The directory to start the child in, or `nil` for the supervisor's own.
    public var directory: String?
    /// Descriptors the child inherits at the same number (close-on-exec is cleared in the child only).
    public var inheritedDescriptors: [Int32]
    /// Descriptors placed at a given number in the child: `target` receives a copy of `source`.
    public var placedDescriptors: [(target: Int32, source: Int32)] {
        get { self.placements.map { ($0.target, $0.source) } }
        set { self.placements = newValue.map { Placement(target: $0.target, source: $0.source) } }
    }

    /// Start the child in a process group of its own, so a terminal's Ctrl-C does not reach it.
    public var newProcessGroup = false

    /// Start the child in a new session (`setsid`), detached from the terminal: a daemon.
    public var newSession = false

    private var placements: [Placement] = []

    private struct Placement: Sendable, Hashable {
        var target: Int32
        var source: Int32
    }

    /// Creates a spec.
    ///
    /// - Parameters:
    ///   - arguments: the command and its arguments; must not be empty.
    ///   - environment: the child's full environment.
    ///   - directory: where the child starts; `nil` keeps the supervisor's directory.
    ///   - inheritedDescriptors: descriptors passed through at the same number.
    public init(arguments: [String], environment: [String: String], directory: String? = nil, inheritedDescriptors: [Int32] = []) {
        self.arguments = arguments
        self.environment = environment
        self.directory = directory
        self.inheritedDescriptors = inheritedDescriptors
    }
}

/// Starts child processes with `posix_spawn` — never a bare `fork` — with a clean signal mask and default
/// signal dispositions, so a child does not inherit the supervisor's handlers or blocked signals.
public enum ChildProcessSpawner {
    /// Spawns `spec` and returns the child's pid.
    ///
    /// A missing executable is reported by the child exiting 127 (as a shell does), because `posix_spawnp`
    /// on Linux may report exec failures only after the fork.
    ///
    /// - Throws: ``PreforkSystemError`` when the process cannot be created or the directory cannot be entered.
    public static func spawn(_ spec: ChildProcessSpec) throws(PreforkSystemError) -> Int32 {
        guard let command = spec.arguments.first else {
            preconditionFailure("ChildProcessSpec.arguments must not be empty; the CLI validates this")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor in spec.inheritedDescriptors {
            // dup2 onto itself clears FD_CLOEXEC in the child only (glibc ≥ 2.29, POSIX 2024).
            posix_spawn_file_actions_adddup2(&actions, descriptor, descriptor)
        }
        for placement in spec.placedDescriptors {
            posix_spawn_file_actions_adddup2(&actions, placement.source, placement.target)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
        if spec.newSession {
            // POSIX_SPAWN_SETSID (glibc ≥ 2.26) is not exported by Swift's Glibc module.
            flags |= 0x80
        }
        if spec.newProcessGroup {
            flags |= POSIX_SPAWN_SETPGROUP
            posix_spawnattr_setpgroup(&attributes, 0)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        // posix_spawn_file_actions_addchdir_np is not visible to Swift's Glibc module. The supervisor is
        // single-threaded, so changing directory around the spawn and changing back cannot affect anything else.
        var savedDirectory: Int32 = -1
        if let directory = spec.directory {
            savedDirectory = try pagiSyscall("open", "current directory") { open(".", O_RDONLY | O_CLOEXEC) }
            do {
                try pagiSyscall("chdir", directory) { chdir(directory) }
            } catch {
                close(savedDirectory)
                throw error
            }
        }
        defer {
            if savedDirectory != -1 {
                fchdir(savedDirectory)
                close(savedDirectory)
            }
        }

        let argv = spec.arguments.map { strdup($0) } + [nil]
        let envp = spec.environment.sorted(by: { $0.key < $1.key }).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: Int32 = 0
        let result = posix_spawnp(&pid, command, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw PreforkSystemError(operation: "posix_spawn", subject: command, errnoValue: result)
        }
        return pid
    }

    /// Collects every child that has ended, without blocking.
    public static func reapExited() -> [(pid: Int32, termination: ChildTermination)] {
        var ended: [(pid: Int32, termination: ChildTermination)] = []
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid > 0 {
                ended.append((pid, ChildTermination(waitStatus: status)))
                continue
            }
            if pid == -1 && errno == EINTR { continue }
            return ended
        }
    }

    /// Sends `signal` to `pid`; a child that is already gone is not an error.
    public static func send(_ signal: PreforkSignal, to pid: Int32) {
        _ = kill(pid, signal.rawValue)
    }
}
