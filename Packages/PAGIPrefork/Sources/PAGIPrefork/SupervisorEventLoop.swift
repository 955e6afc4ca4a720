#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What woke the supervisor up.
public struct SupervisorWakeup {
    /// Signals received (SIGCHLD excluded: ended children are in ``exited``).
    public var signals: [PreforkSignal] = []
    /// Children reaped since the last wakeup.
    public var exited: [(pid: Int32, termination: ChildTermination)] = []
    /// Watched descriptors that became readable (or hung up).
    public var readable: [Int32] = []
}

/// The supervisor's only wait: one `poll` over the signal pipe and any watched descriptors, with the timeout
/// taken from the nearest deadline. With no deadline it blocks indefinitely, so an idle supervisor uses no CPU.
///
/// - Important: Runs on one thread; SIGCHLD is always caught and children are reaped with `waitpid(-1)`, so
///   nothing else in the process may wait for children.
public final class SupervisorEventLoop {
    private let signals: SignalPipe

    /// Installs handlers for `signals` plus SIGCHLD, and ignores SIGPIPE (a child closing a pipe we write to
    /// must not kill the supervisor).
    public init(catching signals: [PreforkSignal]) throws(PreforkSystemError) {
        signal(SIGPIPE, SIG_IGN)
        self.signals = try SignalPipe(catching: signals + [.child])
    }

    /// Blocks until a signal arrives, a watched descriptor is readable, or `deadline` passes.
    public func wait(until deadline: ContinuousClock.Instant?, watching descriptors: [Int32]) -> SupervisorWakeup {
        var pollDescriptors = [pollfd(fd: self.signals.readDescriptor, events: Int16(POLLIN), revents: 0)]
        pollDescriptors += descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let timeout: Int32
        if let deadline {
            let remaining = deadline - ContinuousClock.now
            let (seconds, attoseconds) = remaining.components
            // Round up so a wakeup never comes a hair early and spins once more before the deadline.
            let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
            timeout = Int32(clamping: max(0, milliseconds))
        } else {
            timeout = -1
        }
        let ready = poll(&pollDescriptors, nfds_t(pollDescriptors.count), timeout)
        var wakeup = SupervisorWakeup()
        if ready > 0 {
            wakeup.readable = pollDescriptors.dropFirst().filter { $0.revents != 0 }.map(\.fd)
        }
        // Drain and reap on every wakeup: cheap, and robust against coalesced SIGCHLDs.
        wakeup.signals = self.signals.drain().filter { $0 != .child }
        wakeup.exited = ChildProcessSpawner.reapExited()
        return wakeup
    }

    /// Restores the original signal dispositions.
    public func close() {
        self.signals.restore()
    }
}

@available(*, unavailable)
extension SupervisorEventLoop: Sendable {}
