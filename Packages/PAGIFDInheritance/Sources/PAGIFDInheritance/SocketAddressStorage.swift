import Glibc

/// A `sockaddr` of any family this package handles, ready to hand to `bind`/`connect`.
///
/// Internal: the public API speaks ``ListenerAddress`` and ``ListenerSpec``; this type keeps the
/// C structures and their lengths together so nothing ever passes a mismatched length.
struct SocketAddressStorage {
    private(set) var storage = sockaddr_storage()
    private(set) var length: socklen_t = 0

    var family: Int32 { Int32(self.storage.ss_family) }

    /// Longest unix path `sun_path` holds with its terminating NUL (Linux: 108 bytes in all).
    static let maximumUnixPathLength = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    init() {}

    /// Builds a numeric IPv4 or IPv6 address; `nil` if `host` is not a numeric address literal.
    init?(numericHost host: String, port: UInt16) {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = v4
            self.set(address)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_addr = v6
            self.set(address)
            return
        }
        return nil
    }

    /// Builds a unix address; a leading `@` selects the abstract namespace.
    init(unixPath path: String) throws(FDInheritanceError) {
        var bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes != [UInt8(ascii: "@")] else {
            throw FDInheritanceError(.invalidUnixPath, "unix socket path '\(path)' is empty; give a file path or @name")
        }
        guard bytes.count <= Self.maximumUnixPathLength else {
            throw FDInheritanceError(
                .invalidUnixPath,
                "unix socket path '\(path)' is \(bytes.count) bytes, longer than the \(Self.maximumUnixPathLength) the kernel accepts; use a shorter path"
            )
        }
        guard !bytes.contains(0) else {
            throw FDInheritanceError(.invalidUnixPath, "unix socket path '\(path)' contains a NUL byte")
        }
        let isAbstract = bytes[0] == UInt8(ascii: "@")
        if isAbstract { bytes[0] = 0 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
        }
        let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
        // Abstract names are length-delimited (every byte counts, no terminator); file paths carry
        // their terminating NUL, which the zeroed structure already holds.
        let length = pathOffset + bytes.count + (isAbstract ? 0 : 1)
        self.set(address, length: socklen_t(length))
    }

    /// Fills the storage through a C call such as `getsockname`.
    static func read(
        _ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) throws(FDInheritanceError) -> Void
    ) throws(FDInheritanceError) -> SocketAddressStorage {
        var result = SocketAddressStorage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutablePointer(to: &result.storage) { (pointer) throws(FDInheritanceError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(FDInheritanceError) in
                try body(address, &length)
            }
        }
        result.length = length
        return result
    }

    /// Calls `body` with the C view, for `bind`/`connect`.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(FDInheritanceError) -> R) throws(FDInheritanceError) -> R {
        var copy = self.storage
        return try withUnsafePointer(to: &copy) { (pointer) throws(FDInheritanceError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(FDInheritanceError) in
                try body(address, self.length)
            }
        }
    }

    /// The public form; `nil` for families other than IPv4, IPv6 and unix.
    var listenerAddress: ListenerAddress? {
        var copy = self.storage
        switch self.family {
        case AF_INET:
            return withUnsafePointer(to: &copy) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
                    let ip = address.pointee.sin_addr
                    let host = withUnsafeBytes(of: ip) { Self.numericString(family: AF_INET, $0) }
                    return .ipv4(host: host, port: UInt16(bigEndian: address.pointee.sin_port))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &copy) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
                    let ip = address.pointee.sin6_addr
                    let host = withUnsafeBytes(of: ip) { Self.numericString(family: AF_INET6, $0) }
                    return .ipv6(host: host, port: UInt16(bigEndian: address.pointee.sin6_port))
                }
            }
        case AF_UNIX:
            let pathOffset = MemoryLayout<sockaddr_un>.offset(of: \.sun_path) ?? 2
            let pathLength = max(0, Int(self.length) - pathOffset)
            return withUnsafeBytes(of: &copy) { raw in
                let path = raw[pathOffset..<(pathOffset + pathLength)]
                guard let first = path.first else { return .unix(path: "") }
                if first == 0 {
                    return .unix(path: "@" + String(decoding: path.dropFirst(), as: UTF8.self))
                }
                let end = path.firstIndex(of: 0) ?? path.endIndex
                return .unix(path: String(decoding: path[path.startIndex..<end], as: UTF8.self))
            }
        default:
            return nil
        }
    }

    private mutating func set<T>(_ address: T, length: socklen_t = socklen_t(MemoryLayout<T>.size)) {
        withUnsafeMutableBytes(of: &self.storage) { storage in
            withUnsafeBytes(of: address) { source in storage.copyBytes(from: source) }
        }
        self.length = length
    }

    private static func numericString(family: Int32, _ address: UnsafeRawBufferPointer) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let text = buffer.withUnsafeMutableBufferPointer { out in
            inet_ntop(family, address.baseAddress, out.baseAddress, socklen_t(out.count))
        }
        guard text != nil else {
            preconditionFailure("inet_ntop rejected a kernel-reported family \(family) address")
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
