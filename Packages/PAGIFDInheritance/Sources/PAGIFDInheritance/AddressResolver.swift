import Glibc

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
