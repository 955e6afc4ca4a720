import Glibc

/// The one path every system call of this package takes.
///
/// It retries `EINTR` (a signal arriving during `accept`/`connect`/`close` must not surface as a
/// failure) and treats `EFAULT` — and `EBADF` on a descriptor we own — as a bug in this package
/// rather than a runtime condition, so a double close shows up at the faulty call site instead of
/// silently closing someone else's newly opened descriptor.
package enum SystemCall {
    /// Whose descriptor a call operates on, which decides whether `EBADF` is a bug or an answer.
    package enum Descriptor {
        /// A descriptor this package owns: `EBADF` means our bookkeeping is wrong.
        case owned
        /// A descriptor number taken from the environment: `EBADF` means "not open", an ordinary error.
        case foreign
        /// No descriptor is involved (socket, umask, unlink…).
        case none
    }

    /// Runs `body` until it returns something other than `-1`/`EINTR`.
    ///
    /// - Parameters:
    ///   - name: The call's name, for the error.
    ///   - subject: What the call acted on (`fd 3`, `/run/app.sock`), for the error.
    ///   - descriptor: Whose descriptor the call acts on.
    ///   - body: The raw call, returning `-1` and setting `errno` on failure.
    /// - Returns: The call's non-negative result.
    /// - Throws: ``FDInheritanceError`` with code ``FDInheritanceError/Code/systemCallFailed`` and the `errno`.
    @inline(__always)
    package static func run<T: FixedWidthInteger>(
        _ name: String,
        _ subject: @autoclosure () -> String,
        descriptor: Descriptor = .none,
        _ body: () -> T
    ) throws(FDInheritanceError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let error = Glibc.errno
            if error == EINTR { continue }
            precondition(error != EFAULT, "\(name) on \(subject()) got EFAULT: a bad pointer was passed, a bug in PAGIFDInheritance")
            if case .owned = descriptor {
                precondition(
                    error != EBADF,
                    "\(name) on owned \(subject()) got EBADF: the descriptor was closed behind its owner's back; close it only through ListeningSocket"
                )
            }
            throw .systemCall(name, subject(), errno: error)
        }
    }

    /// Closes a descriptor exactly once.
    ///
    /// `close` is not retried on `EINTR`: on Linux the descriptor is released even when the call is
    /// interrupted, and a retry could close a descriptor another thread has just been given.
    package static func close(_ fd: Int32, descriptor: Descriptor = .owned) throws(FDInheritanceError) {
        if Glibc.close(fd) == 0 { return }
        let error = Glibc.errno
        if error == EINTR { return }
        if case .owned = descriptor {
            precondition(error != EBADF, "close(fd \(fd)) got EBADF: it was closed twice; close it only through ListeningSocket")
        }
        throw .systemCall("close", "fd \(fd)", errno: error)
    }
}
