/// Why the static-files app could not be created.
public enum PAGIStaticFilesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `static` app was selected without a root directory.
    case missingRoot
    /// The root could not be resolved; `reason` is the system's explanation.
    case rootUnavailable(path: String, reason: String)
    /// The root exists but is not a directory.
    case rootNotDirectory(path: String)
    /// The index file name is empty or contains `/` or NUL.
    case invalidIndexFile(String)

    public var description: String {
        switch self {
        case .missingRoot:
            "the static app needs a directory to serve: pass --root DIR"
        case .rootUnavailable(let path, let reason):
            "cannot serve '\(path)': \(reason); pass an existing, readable directory"
        case .rootNotDirectory(let path):
            "cannot serve '\(path)': it is not a directory; pass the directory that holds the files"
        case .invalidIndexFile(let name):
            "invalid index file name '\(name)': it must be a plain file name without '/' or NUL"
        }
    }
}
