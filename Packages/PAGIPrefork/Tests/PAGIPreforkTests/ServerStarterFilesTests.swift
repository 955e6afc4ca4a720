import Testing

@testable import PAGIPrefork

#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp for one test.
func makeScratchDirectory() -> String {
    var template = Array("/tmp/pagiprefork.XXXXXX".utf8CString)
    return template.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress, mkdtemp(base) != nil else { preconditionFailure("mkdtemp failed") }
        return String(cString: base)
    }
}

@Suite struct EnvironmentDirectoryTests {
    @Test func readsFirstLinesSkipsDotFilesAndDirectories() throws {
        let directory = makeScratchDirectory()
        try StatusFile.writeWhole("one\nsecond line\n", to: "\(directory)/FOO", flags: O_WRONLY | O_CREAT)
        try StatusFile.writeWhole("crlf\r\n", to: "\(directory)/BAR", flags: O_WRONLY | O_CREAT)
        try StatusFile.writeWhole("", to: "\(directory)/EMPTY", flags: O_WRONLY | O_CREAT)
        try StatusFile.writeWhole("hidden\n", to: "\(directory)/.HIDDEN", flags: O_WRONLY | O_CREAT)
        mkdir("\(directory)/SUBDIR", 0o755)
        #expect(try EnvironmentDirectory.load(directory) == ["FOO": "one", "BAR": "crlf", "EMPTY": ""])
    }

    @Test func missingDirectoryIsAnErrorNamingIt() {
        #expect(throws: ServerStarterError.envdirUnreadable(path: "/nonexistent-envdir", reason: "No such file or directory")) {
            try EnvironmentDirectory.load("/nonexistent-envdir")
        }
    }
}

@Suite struct StatusFileTests {
    @Test func writeReplacesAtomicallyAndLeavesNoTemporary() throws {
        let directory = makeScratchDirectory()
        let path = "\(directory)/status"
        try StatusFile.write("1:10\n", to: path)
        try StatusFile.write("2:20\n", to: path)
        #expect(StatusFile.read(path) == "2:20\n")
        #expect(access("\(path).\(getpid())", F_OK) != 0)
    }

    @Test func writeIntoMissingDirectoryFails() {
        #expect(throws: PreforkSystemError.self) { try StatusFile.write("x", to: "/nonexistent-dir/status") }
    }
}

@Suite struct PidFileTests {
    @Test func secondLockOnTheSameFileIsRefused() throws {
        let path = "\(makeScratchDirectory())/pid"
        let first = try PidFile(lockingAt: path)
        try first.write(pid: 1234)
        #expect(PidFile.readPid(path) == 1234)
        // flock locks belong to the open file description, so a second open in this process conflicts too.
        #expect(throws: ServerStarterError.pidFileLocked(path: path)) { try PidFile(lockingAt: path) }
        first.remove()
        #expect(PidFile.readPid(path) == nil)
    }
}

@Suite struct ReadinessNotifySocketTests {
    @Test func recognisesReadyAmongOtherAssignments() {
        #expect(ReadinessNotifySocket.containsReady(ArraySlice("STATUS=loading\nREADY=1\n".utf8)))
        #expect(!ReadinessNotifySocket.containsReady(ArraySlice("READY=0\nSTATUS=READY=1".utf8)))
    }

    @Test func receivesADatagramFromAChild() throws {
        let socket = try ReadinessNotifySocket(path: "\(makeScratchDirectory())/n.sock")
        defer { socket.close() }
        #expect(!socket.receivedReady())
        let sender = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(sender) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(socket.path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let message = Array("READY=1".utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(sender, message, message.count, 0, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(sent == message.count)
        #expect(socket.receivedReady())
    }

    @Test func overlongPathIsRejected() {
        #expect(throws: PreforkSystemError.self) { try ReadinessNotifySocket(path: "/tmp/" + String(repeating: "x", count: 120)) }
    }
}

/// Everything that spawns and reaps real children runs one test at a time: a running pool reaps with
/// `waitpid(-1)` and would steal the children of a concurrent spawner test.
@Suite(.serialized) struct RealProcessTests {}

extension RealProcessTests {
@Suite struct ChildProcessSpawnerTests {
    func waitFor(_ pid: Int32) -> ChildTermination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return ChildTermination(waitStatus: status)
    }

    @Test func reportsExitCodesAndSignals() throws {
        let exited = try ChildProcessSpawner.spawn(ChildProcessSpec(arguments: ["/bin/sh", "-c", "exit 3"], environment: [:]))
        #expect(self.waitFor(exited) == .exited(3))
        let killed = try ChildProcessSpawner.spawn(ChildProcessSpec(arguments: ["/bin/sh", "-c", "kill -9 $$"], environment: [:]))
        #expect(self.waitFor(killed) == .signaled(9))
    }

    @Test func passesEnvironmentDirectoryAndInheritedDescriptorsOnly() throws {
        let directory = makeScratchDirectory()
        let ends = try pagiMakePipe()  // both ends close-on-exec
        defer { close(ends.read); close(ends.write) }
        let spec = ChildProcessSpec(
            arguments: ["/bin/sh", "-c", "[ \"$(pwd)\" = \"$WANT\" ] && [ -e /proc/self/fd/\(ends.write) ] && [ ! -e /proc/self/fd/\(ends.read) ]"],
            environment: ["WANT": directory, "PATH": "/usr/bin:/bin"],
            directory: directory,
            inheritedDescriptors: [ends.write]
        )
        #expect(self.waitFor(try ChildProcessSpawner.spawn(spec)) == .exited(0))
    }

    @Test func missingExecutableFailsToSpawnOrExits127() throws {
        do {
            let pid = try ChildProcessSpawner.spawn(ChildProcessSpec(arguments: ["/nonexistent/command"], environment: [:]))
            #expect(self.waitFor(pid) == .exited(127))
        } catch {
            #expect(error.operation == "posix_spawn")
        }
    }

    @Test func missingDirectoryIsReportedAndTheSupervisorKeepsItsOwn() throws {
        var before = [CChar](repeating: 0, count: 4096)
        _ = getcwd(&before, before.count)
        #expect(throws: PreforkSystemError.self) {
            try ChildProcessSpawner.spawn(ChildProcessSpec(arguments: ["/bin/true"], environment: [:], directory: "/nonexistent-dir"))
        }
        var after = [CChar](repeating: 0, count: 4096)
        _ = getcwd(&after, after.count)
        #expect(String(cString: before) == String(cString: after))
    }
}
}
