import Glibc

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
