import Glibc

extension ListeningSocket {
    /// Creates, binds and (for stream sockets) listens: the path for a listener nothing was inherited for.
    ///
    /// TCP and UDP hosts may be numeric (`127.0.0.1`, `::1`) or names, resolved with `getaddrinfo`
    /// and bound to the first address that works; a `nil` host binds `0.0.0.0`. IPv6 sockets are
    /// always `IPV6_V6ONLY`, so `[::]:80` and `0.0.0.0:80` are two independent listeners. The
    /// descriptor is created close-on-exec.
    ///
    /// - Parameters:
    ///   - spec: What to bind.
    ///   - configuration: Backlog, address reuse and unix-socket handling.
    /// - Returns: The open socket, with the kernel's address (the real port when `spec` says 0).
    /// - Throws: ``FDInheritanceError`` naming the spec and the failing step.
    /// - Warning: Binding a unix socket changes the process-wide umask for the duration of `bind`;
    ///   files created concurrently by other threads in that window get mode 0600 or stricter.
    public static func bind(
        _ spec: ListenerSpec,
        configuration: ListenerConfiguration = ListenerConfiguration()
    ) throws(FDInheritanceError) -> ListeningSocket {
        switch spec {
        case .tcp(let host, let port):
            return try Self.bindInternet(spec: spec, host: host, port: port, type: SocketType.stream, configuration: configuration)
        case .udp(let host, let port):
            return try Self.bindInternet(spec: spec, host: host, port: port, type: SocketType.datagram, configuration: configuration)
        case .unix(let path):
            return try UnixListenerBinder(path: path, configuration: configuration).bind()
        }
    }

    private static func bindInternet(
        spec: ListenerSpec,
        host: String?,
        port: UInt16,
        type: Int32,
        configuration: ListenerConfiguration
    ) throws(FDInheritanceError) -> ListeningSocket {
        let candidates = try AddressResolver.resolve(host: host ?? "0.0.0.0", port: port, type: type, spec: spec)
        var lastError: FDInheritanceError?
        for candidate in candidates {
            do {
                return try Self.bindInternet(spec: spec, address: candidate, type: type, configuration: configuration)
            } catch {
                lastError = error
            }
        }
        guard let lastError else {
            throw FDInheritanceError(.addressResolutionFailed, "no address to bind for '\(spec)'")
        }
        throw lastError
    }

    private static func bindInternet(
        spec: ListenerSpec,
        address: SocketAddressStorage,
        type: Int32,
        configuration: ListenerConfiguration
    ) throws(FDInheritanceError) -> ListeningSocket {
        let subject = "listener '\(spec)'"
        let fd = try SystemCall.run("socket", subject) { socket(address.family, type | SocketType.closeOnExec, 0) }
        do {
            if configuration.reuseAddress {
                try SocketOptions.enable(SO_REUSEADDR, level: SOL_SOCKET, fd: fd, subject: subject)
            }
            if configuration.reusePort {
                try SocketOptions.enable(SO_REUSEPORT, level: SOL_SOCKET, fd: fd, subject: subject)
            }
            if address.family == AF_INET6 {
                try SocketOptions.enable(IPV6_V6ONLY, level: Int32(IPPROTO_IPV6), fd: fd, subject: subject)
            }
            _ = try address.withSockAddr { (pointer, length) throws(FDInheritanceError) in
                try SystemCall.run("bind", subject, descriptor: .owned) { Glibc.bind(fd, pointer, length) }
            }
            let kind: SocketKind
            if type == SocketType.stream {
                _ = try SystemCall.run("listen", subject, descriptor: .owned) { listen(fd, configuration.backlog) }
                kind = .stream
            } else {
                kind = .datagram
            }
            let bound = try SocketInspector.boundAddress(of: fd, subject: subject, descriptor: .owned)
            return ListeningSocket(adopting: fd, address: bound, kind: kind, origin: .created)
        } catch {
            try? SystemCall.close(fd)
            throw error
        }
    }
}
