import Glibc

/// systemd socket activation: `LISTEN_FDS`, `LISTEN_PID` and `LISTEN_FDNAMES` (sd_listen_fds(3)).
///
/// The parent passes `LISTEN_FDS` descriptors starting at fd 3, and sets `LISTEN_PID` to the pid
/// of the process meant to use them, so a grandchild that inherits the environment by accident
/// ignores them. `LISTEN_FDNAMES` optionally names them, `:`-separated.
public enum SystemdSocketActivation {
    /// The first passed descriptor, `SD_LISTEN_FDS_START`.
    public static let firstDescriptor: Int32 = 3
    /// The variables of the protocol, all removed after reading.
    public static let variableNames = ["LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES"]

    /// One passed descriptor.
    public struct Entry: Sendable, Hashable {
        /// The descriptor number (3, 4, …).
        public var descriptor: Int32
        /// Its name from `LISTEN_FDNAMES` (`FileDescriptorName=` in the socket unit), if given.
        public var name: String?

        /// Creates an entry.
        /// - Parameters:
        ///   - descriptor: The descriptor number.
        ///   - name: Its name, if any.
        public init(descriptor: Int32, name: String?) {
            self.descriptor = descriptor
            self.name = name
        }
    }
}

extension SystemdSocketActivation {
    /// Parses the variables for the process `processID`.
    ///
    /// Returns no entries when `LISTEN_PID` or `LISTEN_FDS` is absent or `LISTEN_PID` names another
    /// process — the variables were meant for an ancestor.
    ///
    /// - Parameters:
    ///   - listenFDs: `LISTEN_FDS`.
    ///   - listenPID: `LISTEN_PID`.
    ///   - listenFDNames: `LISTEN_FDNAMES`.
    ///   - processID: The pid of the process asking (`getpid()`).
    /// - Returns: Descriptors `3 ..< 3 + LISTEN_FDS`, named when names were given.
    /// - Throws: ``FDInheritanceError/Code/malformedEnvironmentEntry`` when a value is not a
    ///   number, `LISTEN_FDS` is not positive, or the number of names differs from `LISTEN_FDS`.
    public static func parse(
        listenFDs: String?,
        listenPID: String?,
        listenFDNames: String?,
        processID: Int32
    ) throws(FDInheritanceError) -> [Entry] {
        guard let listenPID, let listenFDs else { return [] }
        guard let pid = Self.positiveNumber(listenPID) else {
            throw .malformed("LISTEN_PID", entry: listenPID, "not a process id")
        }
        guard pid == Int(processID) else { return [] }
        guard let count = Self.positiveNumber(listenFDs), count <= Int(Int32.max - Self.firstDescriptor) else {
            throw .malformed("LISTEN_FDS", entry: listenFDs, "not a positive descriptor count")
        }
        // Descriptors at or above the open-files limit cannot exist, so a larger count is a broken
        // environment — and believing it would build millions of entries (found by fuzzing).
        let limit = Self.openFilesLimit()
        guard count <= limit - Int(Self.firstDescriptor) else {
            throw .malformed(
                "LISTEN_FDS",
                entry: listenFDs,
                "\(count) descriptors from fd 3 exceed the open-files limit of \(limit) (ulimit -n)"
            )
        }
        var names: [String?] = Array(repeating: nil, count: count)
        if let listenFDNames {
            let given = listenFDNames.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard given.count == count else {
                throw .malformed(
                    "LISTEN_FDNAMES",
                    entry: listenFDNames,
                    "it names \(given.count) descriptor(s) but LISTEN_FDS is \(count)"
                )
            }
            names = given
        }
        return (0..<count).map { index in
            Entry(descriptor: Self.firstDescriptor + Int32(index), name: names[index])
        }
    }

    /// The variables to give a child with pid `processID` that inherits `descriptorCount`
    /// listeners on fds 3, 4, ….
    ///
    /// - Parameters:
    ///   - descriptorCount: How many descriptors, starting at fd 3 in the child.
    ///   - names: Optional names, one per descriptor.
    ///   - processID: The child's pid. It is known only after `fork`; a parent using
    ///     `posix_spawn` cannot set it, which is why systemd forks and sets it in the child.
    /// - Returns: `LISTEN_FDS`, `LISTEN_PID` and (when names are given) `LISTEN_FDNAMES`.
    /// - Throws: ``FDInheritanceError/Code/unrepresentableValue`` when the count is not positive,
    ///   the number of names differs from it, or a name contains `:` or is longer than 255 bytes.
    public static func environment(
        descriptorCount: Int,
        names: [String]? = nil,
        processID: Int32
    ) throws(FDInheritanceError) -> [String: String] {
        guard descriptorCount > 0 else {
            throw FDInheritanceError(.unrepresentableValue, "LISTEN_FDS must be positive, got \(descriptorCount)")
        }
        var environment = ["LISTEN_FDS": String(descriptorCount), "LISTEN_PID": String(processID)]
        if let names {
            guard names.count == descriptorCount else {
                throw FDInheritanceError(
                    .unrepresentableValue,
                    "LISTEN_FDNAMES needs one name per descriptor: got \(names.count) for \(descriptorCount)"
                )
            }
            for name in names where name.contains(":") || name.utf8.count > 255 {
                throw FDInheritanceError(
                    .unrepresentableValue,
                    "descriptor name '\(name)' cannot go in LISTEN_FDNAMES: names may not contain ':' or exceed 255 bytes"
                )
            }
            environment["LISTEN_FDNAMES"] = names.joined(separator: ":")
        }
        return environment
    }

    /// The soft `RLIMIT_NOFILE`: one past the highest descriptor number this process can hold.
    static func openFilesLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return Int(Int32.max) }
        return Int(min(limit.rlim_cur, rlim_t(Int32.max)))
    }

    private static func positiveNumber(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 10, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text), value > 0
        else { return nil }
        return value
    }
}
