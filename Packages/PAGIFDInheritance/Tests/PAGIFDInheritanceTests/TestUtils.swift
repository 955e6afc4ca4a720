// Shared helpers for the PAGIFDInheritance tests: temporary directories, raw client sockets,
// descriptor probes and the pagi-fd-probe child process.

import Glibc
import PAGIFDInheritance
import Testing

/// A private directory under /tmp, removed with its contents on deinit.
final class TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/pagi-fd-test-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard created != nil else { throw TestFailure("mkdtemp failed: errno \(errno)") }
        self.path = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit {
        if let directory = opendir(self.path) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
                if name != "." && name != ".." { unlink(self.path + "/" + name) }
            }
            closedir(directory)
        }
        rmdir(self.path)
    }
}

/// A test failure with a message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
