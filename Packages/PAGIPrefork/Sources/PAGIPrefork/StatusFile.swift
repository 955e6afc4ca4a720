#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Server::Starter's status file: one `GEN:PID` line per live child, sorted by generation.
public enum StatusFile {
    /// Renders the lines for `children`, sorted by generation.
    public static func render(_ children: [GenerationSupervisorStateMachine.Child]) -> String {
        children.sorted { $0.generation < $1.generation }.map { "\($0.generation):\($0.pid)\n" }.joined()
    }

    /// Parses status file text into children; lines that are not `GEN:PID` are skipped, as the original does.
    public static func parse(_ text: String) -> [GenerationSupervisorStateMachine.Child] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let generation = Int(parts[0]), let pid = Int32(parts[1]) else { return nil }
            return GenerationSupervisorStateMachine.Child(pid: pid, generation: generation)
        }
    }

    /// Replaces `path` atomically: the text goes to `path.<pid>` first, then is renamed over `path`, so a
    /// reader never sees a half-written file.
    ///
    /// - Throws: ``PreforkSystemError`` naming the file when it cannot be written.
    public static func write(_ text: String, to path: String) throws(PreforkSystemError) {
        let temporary = "\(path).\(getpid())"
        try writeWhole(text, to: temporary, flags: O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC)
        do {
            try pagiSyscall("rename", "\(temporary) to \(path)") { rename(temporary, path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Reads a small text file whole, or returns `nil` if it cannot be opened.
    public static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes += buffer[0..<count]
            } else if count == -1 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func writeWhole(_ text: String, to path: String, flags: Int32) throws(PreforkSystemError) {
        let descriptor = try pagiSyscall("open", path) { open(path, flags, 0o644) }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = try pagiSyscall("write", path) {
                bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
            }
            offset += written
        }
    }
}
