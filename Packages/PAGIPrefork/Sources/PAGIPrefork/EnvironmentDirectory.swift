#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// daemontools-style `envdir`: each file in a directory names a variable whose value is the file's first line.
///
/// Files whose name starts with `.` are skipped; the trailing newline (and a `\r` before it) is stripped;
/// an empty file sets the variable to the empty string. Subdirectories are skipped.
public enum EnvironmentDirectory {
    /// Reads the variables defined by `path`.
    ///
    /// - Throws: ``ServerStarterError/envdirUnreadable(path:reason:)`` if the directory cannot be listed.
    public static func load(_ path: String) throws(ServerStarterError) -> [String: String] {
        guard let directory = opendir(path) else {
            throw .envdirUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        var variables: [String: String] = [:]
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard !name.hasPrefix("."), !name.isEmpty, !name.contains("=") else { continue }
            let file = "\(path)/\(name)"
            var info = stat()
            guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            guard let text = StatusFile.read(file) else { continue }
            // Bytes, not Characters: "\r\n" is one Character and would hide the newline.
            var line = Array(text.utf8.prefix(while: { $0 != UInt8(ascii: "\n") }))
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            variables[name] = String(decoding: line, as: UTF8.self)
        }
        return variables
    }
}
