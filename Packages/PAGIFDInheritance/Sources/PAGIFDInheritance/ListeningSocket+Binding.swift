import Glibc
import Synchronization

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

/// Glibc imports the `SOCK_*` constants as an enum; these are the `Int32` values the calls take.
package enum SocketType {
    package static let stream = Int32(SOCK_STREAM.rawValue)
    package static let datagram = Int32(SOCK_DGRAM.rawValue)
    package static let sequencedPacket = Int32(SOCK_SEQPACKET.rawValue)
    package static let closeOnExec = Int32(SOCK_CLOEXEC.rawValue)
}

/// `setsockopt` for the boolean options we set.
enum SocketOptions {
    static func enable(_ option: Int32, level: Int32, fd: Int32, subject: String) throws(FDInheritanceError) {
        var one: Int32 = 1
        _ = try SystemCall.run("setsockopt(\(option))", subject, descriptor: .owned) {
            setsockopt(fd, level, option, &one, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    static func integer(_ option: Int32, level: Int32, fd: Int32, subject: String, descriptor: SystemCall.Descriptor) throws(FDInheritanceError) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = try SystemCall.run("getsockopt(\(option))", subject, descriptor: descriptor) {
            getsockopt(fd, level, option, &value, &length)
        }
        return value
    }
}

/// Host name → candidate socket addresses.
enum AddressResolver {
    static func resolve(host: String, port: UInt16, type: Int32, spec: ListenerSpec) throws(FDInheritanceError) -> [SocketAddressStorage] {
        if let numeric = SocketAddressStorage(numericHost: host, port: port) {
            return [numeric]
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = type
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let list else {
            let reason = String(cString: gai_strerror(status))
            throw FDInheritanceError(
                .addressResolutionFailed,
                "cannot resolve host '\(host)' of listener '\(spec)': \(reason); use a numeric address or fix name resolution"
            )
        }
        defer { freeaddrinfo(list) }
        var result: [SocketAddressStorage] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = list
        while let entry = cursor {
            if let address = entry.pointee.ai_addr {
                let length = entry.pointee.ai_addrlen
                let candidate = try SocketAddressStorage.read { (out, outLength) in
                    memcpy(out, address, Int(length))
                    outLength.pointee = length
                }
                result.append(candidate)
            }
            cursor = entry.pointee.ai_next
        }
        return result
    }
}
