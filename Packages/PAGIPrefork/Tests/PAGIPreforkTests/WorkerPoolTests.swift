import Testing

@testable import PAGIPrefork

#if canImport(Glibc)
import Glibc
#endif

extension RealProcessTests {
    /// The pool driver against real `/bin/sh` workers.
    @Suite struct WorkerPoolTests {
        final class Lines: @unchecked Sendable {
            // Invariant: only touched on the thread running the pool (the test's own).
            var lines: [String] = []
        }

        func pool(workers: Int, heartbeat: Duration? = nil, script: String, lines: Lines) -> WorkerPool {
            WorkerPool(
                configuration: WorkerPoolConfiguration(workers: workers, spawnInterval: .milliseconds(100), shutdownTimeout: .seconds(5), heartbeatTimeout: heartbeat),
                log: { _, line in lines.lines.append(line) },
                makeWorker: { number, heartbeat in
                    var environment = ["PATH": "/usr/bin:/bin", "WORKER": String(number)]
                    var spec = ChildProcessSpec(arguments: ["/bin/sh", "-c", script], environment: environment)
                    if let heartbeat {
                        // dash only redirects single-digit descriptors, so the pipe is placed on fd 9.
                        environment["HB_FD"] = "9"
                        spec.environment = environment
                        spec.placedDescriptors = [(target: 9, source: heartbeat)]
                    }
                    return spec
                }
            )
        }

        @Test func everyWorkerFailingAtStartupEndsThePoolWithExitOne() throws {
            let lines = Lines()
            let outcome = try self.pool(workers: 2, script: "exit 2", lines: lines).run()
            #expect(outcome == WorkerPool.Outcome(code: 1, keepListeners: false))
            #expect(lines.lines.filter { $0.hasSuffix("startup failed, not respawning") }.count == 2)
        }

        @Test func termStopsEveryWorkerAndEndsCleanly() throws {
            let lines = Lines()
            // Worker 2 beats once, then asks the master to stop; every worker exits 0 on TERM.
            let script = """
                trap 'exit 0' TERM
                if [ "$WORKER" = 2 ]; then printf '\\0' >&$HB_FD; kill -TERM $PPID; fi
                while true; do sleep 0.05; done
                """
            let outcome = try self.pool(workers: 2, heartbeat: .seconds(50), script: script, lines: lines).run()
            #expect(outcome == WorkerPool.Outcome(code: 0, keepListeners: false))
            #expect(lines.lines.isEmpty, "\(lines.lines)")
        }

        @Test func crashedWorkerIsRespawned() throws {
            let lines = Lines()
            // The first run of worker 1 crashes; its respawn finds the marker and stops the master.
            let marker = "\(makeScratchDirectory())/ran"
            let script = """
                trap 'exit 0' TERM
                if [ ! -e \(marker) ]; then touch \(marker); kill -9 $$; fi
                kill -TERM $PPID
                while true; do sleep 0.05; done
                """
            let outcome = try self.pool(workers: 1, script: script, lines: lines).run()
            #expect(outcome.code == 0)
            #expect(lines.lines.contains { $0.hasPrefix("Worker 1 (") && $0.hasSuffix(") ended with signal KILL, respawning") }, "\(lines.lines)")
        }
    }
}
