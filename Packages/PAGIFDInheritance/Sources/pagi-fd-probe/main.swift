// A child program for the tests: it finds its listening sockets through PAGIFDInheritance exactly
// as a server would, reports them on stdout, then serves one connection (or datagram) on each, in
// order, answering "hello from <address> via <source>", and exits 0. Any discovery error is printed
// on stderr and exits 1, so tests can assert the message a real server would show.

import Glibc
import PAGIFDInheritance

/// Writes a line straight to fd 1: unbuffered, so the test sees it before the probe blocks in accept.
func report(_ line: String, to descriptor: Int32 = 1) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
}

func serve(_ listener: InheritedListener) throws(FDInheritanceError) {
    let fd = listener.descriptor
    let reply = Array("hello from \(listener.address) via \(listener.source)\n".utf8)
    switch listener.socket.kind {
    case .stream, .sequencedPacket:
        let connection = try SystemCall.run("accept4", "fd \(fd)", descriptor: .owned) { accept(fd, nil, nil) }
        defer { try? SystemCall.close(connection) }
        _ = try SystemCall.run("send", "connection on fd \(fd)", descriptor: .owned) { send(connection, reply, reply.count, Int32(MSG_NOSIGNAL)) }
    case .datagram:
        var peer = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        var buffer = [UInt8](repeating: 0, count: 512)
        let capacity = buffer.count
        _ = try withUnsafeMutablePointer(to: &peer) { (pointer) throws(FDInheritanceError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (address) throws(FDInheritanceError) in
                _ = try SystemCall.run("recvfrom", "fd \(fd)", descriptor: .owned) { recvfrom(fd, &buffer, capacity, 0, address, &length) }
                return try SystemCall.run("sendto", "fd \(fd)", descriptor: .owned) { sendto(fd, reply, reply.count, 0, address, length) }
            }
        }
    }
}

/// Supervisors stop their children with SIGTERM; a test runner may have spawned us with it blocked
/// or ignored (both survive exec), which would leave the probe running after its supervisor exits.
func restoreTerminationSignals() {
    var set = sigset_t()
    sigemptyset(&set)
    for signal in [SIGTERM, SIGINT, SIGHUP] {
        sigaddset(&set, signal)
        Glibc.signal(signal, SIG_DFL)
    }
    sigprocmask(SIG_UNBLOCK, &set, nil)
}

restoreTerminationSignals()
report("probe pid=\(getpid())")
do {
    let listeners = try InheritedListenerDiscovery.discoverInProcessEnvironment()
    let listenFDs = getenv("LISTEN_FDS").map { String(cString: $0) } ?? "unset"
    report("env LISTEN_FDS=\(listenFDs)")
    for listener in listeners {
        let inheritable = try listener.socket.isInheritable()
        report(
            "listener source=\(listener.source) fd=\(listener.descriptor) address=\(listener.address) kind=\(listener.socket.kind) name=\(listener.name ?? "-") cloexec=\(!inheritable)"
        )
    }
    report("ready \(listeners.count)")
    for listener in listeners {
        try serve(listener)
        try listener.socket.close()
    }
    report("done")
} catch {
    report("pagi-fd-probe: \(error.description)", to: 2)
    exit(1)
}
