import Glibc

/// Reads back what a descriptor really is, so an inherited number is trusted only after checking.
enum SocketInspector {
    /// What a verified descriptor is.
    struct Facts {
        var address: ListenerAddress
        var kind: SocketKind
    }

    /// Verifies that `fd` is an open, bound socket of a family we serve and, for stream and
    /// seqpacket sockets, that it is listening.
    ///
    /// - Parameters:
    ///   - fd: The inherited descriptor number.
    ///   - origin: Which entry named it, for the error (`SERVER_STARTER_PORT entry '8080=3'`).
    static func verify(_ fd: Int32, origin: String) throws(FDInheritanceError) -> Facts {
        let subject = "inherited fd \(fd) (\(origin))"
        do {
            _ = try SystemCall.run("fcntl(F_GETFD)", subject, descriptor: .foreign) { fcntl(fd, F_GETFD) }
        } catch where error.errno == EBADF {
            throw FDInheritanceError(
                .descriptorNotOpen,
                "\(subject) is not open in this process; the parent must clear FD_CLOEXEC on it and keep it open across exec"
            )
        }
        let type: Int32
        do {
            type = try SocketOptions.integer(SO_TYPE, level: SOL_SOCKET, fd: fd, subject: subject, descriptor: .foreign)
        } catch where error.errno == ENOTSOCK {
            throw FDInheritanceError(.notASocket, "\(subject) is open but is not a socket; check which descriptor the parent passed")
        }
        let kind: SocketKind
        switch type {
        case SocketType.stream: kind = .stream
        case SocketType.datagram: kind = .datagram
        case SocketType.sequencedPacket: kind = .sequencedPacket
        default:
            throw FDInheritanceError(.unsupportedSocket, "\(subject) has socket type \(type); only stream, datagram and seqpacket sockets are served")
        }
        let address = try Self.boundAddress(of: fd, subject: subject, descriptor: .foreign)
        if kind != .datagram {
            let accepting = try SocketOptions.integer(SO_ACCEPTCONN, level: SOL_SOCKET, fd: fd, subject: subject, descriptor: .foreign)
            guard accepting != 0 else {
                throw FDInheritanceError(
                    .notListening,
                    "\(subject) is a \(kind) socket bound to \(address) but not listening; the parent must call listen() before passing it"
                )
            }
        }
        return Facts(address: address, kind: kind)
    }

    /// The kernel's address for a socket.
    static func boundAddress(of fd: Int32, subject: String, descriptor: SystemCall.Descriptor) throws(FDInheritanceError) -> ListenerAddress {
        let storage = try SocketAddressStorage.read { (address, length) throws(FDInheritanceError) in
            _ = try SystemCall.run("getsockname", subject, descriptor: descriptor) { getsockname(fd, address, length) }
        }
        guard let address = storage.listenerAddress else {
            throw FDInheritanceError(
                .unsupportedSocket,
                "\(subject) has address family \(storage.family); only IPv4, IPv6 and unix sockets are served"
            )
        }
        return address
    }
}
