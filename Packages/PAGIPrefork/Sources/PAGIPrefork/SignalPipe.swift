#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The signal handler cannot capture context, so the pipe's write end lives in a global. It is assigned
// before any handler is installed, and an Int32 store/load is atomic on every platform we build for.
nonisolated(unsafe) private var pagiSignalPipeWriteEnd: Int32 = -1

/// Turns asynchronous signals into bytes on a pipe that the supervisor's `poll` loop reads (the self-pipe trick).
///
/// The handler does one `write` of the signal number and restores `errno`: both async-signal-safe, with no
/// allocation, lock or Swift runtime call that could deadlock inside a signal.
///
/// - Important: One per process. Creating a second one while the first is alive is a programming error.
public final class SignalPipe {
    /// The read end; readable whenever a signal arrived.
    public let readDescriptor: Int32
    private let writeDescriptor: Int32
    private var previous: [(signal: Int32, action: sigaction)] = []

    /// Creates the pipe and routes `signals` into it.
    ///
    /// - Parameter signals: the signals to catch; their previous dispositions are restored by ``restore()``.
    /// - Throws: ``PreforkSystemError`` if the pipe or a handler cannot be set up.
    public init(catching signals: [PreforkSignal]) throws(PreforkSystemError) {
        precondition(pagiSignalPipeWriteEnd == -1, "only one SignalPipe may exist per process")
        let ends = try pagiMakePipe()
        self.readDescriptor = ends.read
        self.writeDescriptor = ends.write
        pagiSignalPipeWriteEnd = ends.write
        // A parent may start us with signals blocked (Foundation's Process passes on its threads' mask); a
        // blocked SIGHUP would never reach the handler, so unblock exactly the signals we catch.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in signals { sigaddset(&unblock, signal.rawValue) }
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        for signal in signals {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = pagiSignalPipeHandler
            #else
            action.__sigaction_u.__sa_handler = pagiSignalPipeHandler
            #endif
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            try pagiSyscall("sigaction", "\(signal)") { sigaction(signal.rawValue, &action, &old) }
            self.previous.append((signal.rawValue, old))
        }
    }

    /// Reads every signal that arrived since the last call, in arrival order.
    public func drain() -> [PreforkSignal] {
        var received: [PreforkSignal] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(self.readDescriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                received.append(contentsOf: buffer[0..<count].map { PreforkSignal(rawValue: Int32($0)) })
                continue
            }
            if count == -1 && errno == EINTR { continue }
            return received
        }
    }

    /// Puts back the dispositions the caught signals had before, and closes the pipe.
    public func restore() {
        for (signal, action) in self.previous {
            var old = action
            sigaction(signal, &old, nil)
        }
        self.previous = []
        if pagiSignalPipeWriteEnd != -1 {
            pagiSignalPipeWriteEnd = -1
            close(self.readDescriptor)
            close(self.writeDescriptor)
        }
    }

    deinit {
        self.restore()
    }
}

@available(*, unavailable)
extension SignalPipe: Sendable {}

private func pagiSignalPipeHandler(_ signal: Int32) {
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    // A full pipe means many signals are already queued; dropping this byte loses nothing the loop needs
    // except a duplicate, because SIGCHLD handling reaps every child regardless of how many bytes arrived.
    _ = write(pagiSignalPipeWriteEnd, &byte, 1)
    errno = savedErrno
}
