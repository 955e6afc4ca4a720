import NIOCore

/// A `TaskExecutor` that runs every job of a task on one NIO event loop.
///
/// Request tasks prefer this executor so that the application, `receive` and `send` all run on
/// the connection's loop: measured on this project's machine, dispatching through the global
/// pool costs about 3× the throughput of staying on the loop (see `perf-notes.md`). Combined with
/// `Task.immediate(executorPreference:)`, a request that never suspends costs no job at all.
final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    /// The loop every job runs on.
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        // `execute` allocates one closure per job; the loop's own `enqueue(job)` would avoid it
        // but runs the job as if isolated to the loop's serial executor, which is not what a
        // task-executor preference promises.
        self.eventLoop.execute {
            unownedJob.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
