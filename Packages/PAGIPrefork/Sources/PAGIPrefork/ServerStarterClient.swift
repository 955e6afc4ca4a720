#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// start_server's client modes, `--restart` and `--stop`, talking to a running supervisor through its pid and
/// status files.
public enum ServerStarterClient {
    /// `--restart`: send HUP, then wait until the status file lists exactly one generation, newer than every
    /// generation listed before.
    ///
    /// Checks the status file every 100 ms: this is a short-lived client, and inotify would not see the
    /// rename-over on every filesystem.
    ///
    /// - Throws: ``ServerStarterError`` when the pid or status file has nothing usable or the signal fails.
    public static func restart(pidFile: String, statusFile: String) throws(ServerStarterError) {
        guard let pid = PidFile.readPid(pidFile) else { throw .noServerPid(path: pidFile) }
        let before = StatusFile.parse(StatusFile.read(statusFile) ?? "").map(\.generation)
        guard let newest = before.max() else { throw .noActiveGeneration(path: statusFile) }
        guard kill(pid, SIGHUP) == 0 else { throw .signalFailed(pid: pid, reason: String(cString: strerror(errno))) }
        while true {
            let generations = StatusFile.parse(StatusFile.read(statusFile) ?? "").map(\.generation)
            if generations.count == 1, let only = generations.first, only > newest { return }
            var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
            nanosleep(&pause, nil)
        }
    }

    /// `--stop`: send TERM, then block until the server releases its pid-file lock (it has exited).
    ///
    /// - Throws: ``ServerStarterError`` when the pid file has no pid or the signal fails.
    public static func stop(pidFile: String) throws(ServerStarterError) {
        // Open before signalling: the server removes the file on exit, and we must hold the inode to wait on it.
        let descriptor = open(pidFile, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: pidFile, purpose: "pid file", reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        guard let pid = PidFile.readPid(pidFile) else { throw .noServerPid(path: pidFile) }
        guard kill(pid, SIGTERM) == 0 else { throw .signalFailed(pid: pid, reason: String(cString: strerror(errno))) }
        PidFile.waitForRelease(descriptor: descriptor)
    }
}
