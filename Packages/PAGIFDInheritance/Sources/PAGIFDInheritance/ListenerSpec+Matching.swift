import Glibc

extension ListenerSpec {
    /// How far to go when a spec's host is a name rather than a numeric address.
    enum HostNamePolicy {
        /// Resolve the name and require the address to be one of the results.
        case resolve
        /// Compare only the port (the environment's own text for a name is not checkable offline).
        case portOnly
    }

    /// Whether a socket bound to `address` serves this spec.
    ///
    /// A port-only spec means `0.0.0.0`; numeric hosts compare as addresses (so `::0001` equals
    /// `::1`); unix paths compare as text or, for file paths, as the same file on disk; port 0
    /// ("any port") never matches, because it names no particular socket.
    func isServed(by address: ListenerAddress, hostNames: HostNamePolicy) -> Bool {
        switch (self, address) {
        case (.tcp(let host, let port), .ipv4(_, let boundPort)), (.tcp(let host, let port), .ipv6(_, let boundPort)),
            (.udp(let host, let port), .ipv4(_, let boundPort)), (.udp(let host, let port), .ipv6(_, let boundPort)):
            guard port != 0, port == boundPort else { return false }
            let host = host ?? "0.0.0.0"
            if let numeric = SocketAddressStorage(numericHost: host, port: port) {
                return numeric.listenerAddress == address
            }
            switch hostNames {
            case .portOnly:
                return true
            case .resolve:
                let type = if case .udp = self { SocketType.datagram } else { SocketType.stream }
                let candidates = (try? AddressResolver.resolve(host: host, port: port, type: type, spec: self)) ?? []
                return candidates.contains { $0.listenerAddress == address }
            }
        case (.unix(let path), .unix(let boundPath)):
            if path == boundPath { return true }
            guard !path.hasPrefix("@"), !boundPath.hasPrefix("@"), !boundPath.isEmpty else { return false }
            return Self.sameFile(path, boundPath)
        case (.tcp, .unix), (.udp, .unix), (.unix, .ipv4), (.unix, .ipv6):
            return false
        }
    }

    /// Whether a socket of `kind` can serve this spec (TCP/unix need a stream socket, UDP a datagram one).
    func accepts(_ kind: SocketKind) -> Bool {
        switch (self, kind) {
        case (.tcp, .stream), (.udp, .datagram), (.unix, .stream), (.unix, .sequencedPacket): true
        case (.tcp, .datagram), (.tcp, .sequencedPacket), (.udp, .stream), (.udp, .sequencedPacket), (.unix, .datagram): false
        }
    }

    private static func sameFile(_ first: String, _ second: String) -> Bool {
        var a = stat()
        var b = stat()
        // A path that cannot be stat'ed (gone, no permission) is simply not the same file.
        guard (try? SystemCall.run("stat", first, { stat(first, &a) })) != nil,
            (try? SystemCall.run("stat", second, { stat(second, &b) })) != nil
        else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}
