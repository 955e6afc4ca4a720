#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A system call made by the supervisor failed.
///
/// The description names the call, the object it was working on and the `errno` text, so an operator can act
/// on it (for example "open status file /run/app.status: Permission denied — make the directory writable").
public struct PreforkSystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failing operation, such as `posix_spawn` or `open`.
    public var operation: String
    /// What the call was about (a path, a pid, a command).
    public var subject: String
    /// The `errno` value reported by the call.
    public var errnoValue: Int32

    /// Creates an error for `operation` on `subject` that failed with `errnoValue`.
    public init(operation: String, subject: String, errnoValue: Int32) {
        self.operation = operation
        self.subject = subject
        self.errnoValue = errnoValue
    }

    public var description: String {
        let text = String(cString: strerror(self.errnoValue))
        return "\(self.operation) \(self.subject) failed: \(text) (errno \(self.errnoValue))"
    }
}

/// Runs a system call, retrying while it is interrupted by a signal.
///
/// `EBADF` and `EFAULT` mean we passed a closed descriptor or a bad pointer: that is our bug, not the
/// environment's, so it stops the process instead of being reported as a runtime error.
@discardableResult
func pagiSyscall<T: FixedWidthInteger>(
    _ operation: String,
    _ subject: @autoclosure () -> String,
    _ body: () -> T
) throws(PreforkSystemError) -> T {
    while true {
        let result = body()
        if result != -1 { return result }
        let error = errno
        switch error {
        case EINTR:
            continue
        case EBADF, EFAULT:
            preconditionFailure("\(operation) \(subject()): errno \(error) means a descriptor/pointer bug in PAGIPrefork")
        default:
            throw PreforkSystemError(operation: operation, subject: subject(), errnoValue: error)
        }
    }
}

/// Marks `descriptor` close-on-exec.
///
/// The supervisor is single-threaded and spawns from that one thread, so setting the flag right after
/// creation cannot race with a concurrent spawn (the race `pipe2` exists to close).
func pagiSetCloseOnExec(_ descriptor: Int32) throws(PreforkSystemError) {
    let flags = try pagiSyscall("fcntl(F_GETFD)", "fd \(descriptor)") { fcntl(descriptor, F_GETFD) }
    try pagiSyscall("fcntl(F_SETFD)", "fd \(descriptor)") { fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
}

/// Makes `descriptor` non-blocking.
func pagiSetNonBlocking(_ descriptor: Int32) throws(PreforkSystemError) {
    let flags = try pagiSyscall("fcntl(F_GETFL)", "fd \(descriptor)") { fcntl(descriptor, F_GETFL) }
    try pagiSyscall("fcntl(F_SETFL)", "fd \(descriptor)") { fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) }
}

/// Creates a pipe whose two ends are close-on-exec and non-blocking; returns (read end, write end).
func pagiMakePipe() throws(PreforkSystemError) -> (read: Int32, write: Int32) {
    var ends: [Int32] = [-1, -1]
    try pagiSyscall("pipe", "") { pipe(&ends) }
    for end in ends {
        try pagiSetCloseOnExec(end)
        try pagiSetNonBlocking(end)
    }
    return (ends[0], ends[1])
}
