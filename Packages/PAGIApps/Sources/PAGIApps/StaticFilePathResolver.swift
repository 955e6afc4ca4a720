/// Maps a request's decoded path to a file under the root, refusing every way out of it.
///
/// Lexical checks come first (NUL, relative paths, `..` segments — which also catches `%2e%2e`
/// and `..%2f`, since the path is already percent-decoded); then the candidate is resolved with
/// `realpath(3)` and must still lie under the root's own resolved path, which catches symlinks
/// pointing out.
///
/// - Warning: Between this check and the server opening the file, a writer could swap a
///   directory for a symlink (time-of-check to time-of-use). Serve only trees that untrusted
///   users cannot write to.
struct StaticFilePathResolver: Sendable {
    enum Resolution: Sendable, Hashable {
        /// A readable regular file.
        case file(path: String, status: FileSystemProbe.Status)
        /// A directory asked for without its trailing `/`.
        case directoryWithoutSlash
        case rejected(Rejection)
    }

    enum Rejection: Error, Sendable, Hashable {
        /// NUL in the path, or a path not starting with `/`: `400`.
        case malformedPath
        /// A `..` segment: `403`.
        case traversal
        /// The resolved path lies outside the root (a symlink points out): `403`.
        case outsideRoot
        /// The system refused access: `403`.
        case accessDenied
        /// Missing, special, or not nameable as UTF-8: `404`.
        case notFound
    }

    /// The root's resolved path, without a trailing `/` unless it is `/`.
    let root: [UInt8]
    let indexFile: [UInt8]

    /// - Throws: ``PAGIStaticFilesError`` when the root cannot be resolved or is not a directory.
    init(root: String, indexFile: String) throws(PAGIStaticFilesError) {
        guard !indexFile.isEmpty, !indexFile.utf8.contains(UInt8(ascii: "/")), !indexFile.utf8.contains(0),
            indexFile != ".", indexFile != ".."
        else {
            throw .invalidIndexFile(indexFile)
        }
        let resolved: [UInt8]
        switch FileSystemProbe.realPath(Array(root.utf8)) {
        case .success(let path): resolved = path
        case .failure(let error): throw .rootUnavailable(path: root, reason: error.description)
        }
        switch FileSystemProbe.status(resolved) {
        case .success(let status) where status.kind == .directory: break
        case .success: throw .rootNotDirectory(path: root)
        case .failure(let error): throw .rootUnavailable(path: root, reason: error.description)
        }
        self.root = resolved
        self.indexFile = Array(indexFile.utf8)
    }

    /// Resolves a decoded request path.
    /// - Parameter decodedPath: The scope's `path` bytes (percent-decoded).
    func resolve(_ decodedPath: [UInt8]) -> Resolution {
        guard decodedPath.first == UInt8(ascii: "/"), !decodedPath.contains(0) else {
            return .rejected(.malformedPath)
        }
        var relative: [UInt8] = []
        for segment in decodedPath.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true) {
            if segment.elementsEqual("..".utf8) { return .rejected(.traversal) }
            if segment.elementsEqual(".".utf8) { continue }
            relative.append(UInt8(ascii: "/"))
            relative.append(contentsOf: segment)
        }
        let resolved: [UInt8]
        let status: FileSystemProbe.Status
        switch self.locate(self.root + relative) {
        case .success(let found): (resolved, status) = found
        case .failure(let rejection): return .rejected(rejection)
        }
        switch status.kind {
        case .regular:
            // `/file.txt/` names a directory that does not exist, as the kernel would say (ENOTDIR).
            guard decodedPath.last != UInt8(ascii: "/") else { return .rejected(.notFound) }
            return self.readableFile(resolved, status)
        case .other:
            return .rejected(.notFound)
        case .directory:
            guard decodedPath.last == UInt8(ascii: "/") else { return .directoryWithoutSlash }
            // The index may itself be a symlink, so it goes through the same containment check.
            switch self.locate(resolved + [UInt8(ascii: "/")] + self.indexFile) {
            case .success(let (indexPath, indexStatus)) where indexStatus.kind == .regular:
                return self.readableFile(indexPath, indexStatus)
            case .success:
                return .rejected(.notFound)  // no listings
            case .failure(let rejection):
                return .rejected(rejection)
            }
        }
    }

    private func locate(_ candidate: [UInt8]) -> Result<([UInt8], FileSystemProbe.Status), Rejection> {
        let resolved: [UInt8]
        switch FileSystemProbe.realPath(candidate) {
        case .success(let path): resolved = path
        case .failure(let error): return .failure(error.meansForbidden ? .accessDenied : .notFound)
        }
        guard self.contains(resolved) else { return .failure(.outsideRoot) }
        switch FileSystemProbe.status(resolved) {
        case .success(let status): return .success((resolved, status))
        case .failure(let error): return .failure(error.meansForbidden ? .accessDenied : .notFound)
        }
    }

    private func readableFile(_ path: [UInt8], _ status: FileSystemProbe.Status) -> Resolution {
        if let error = FileSystemProbe.openFailure(path) {
            return .rejected(error.meansForbidden ? .accessDenied : .notFound)
        }
        // PAGIResponseBody.file takes a String: a name that is not UTF-8 cannot be handed over
        // without changing it, so it is not served.
        guard let text = String(validating: path, as: UTF8.self) else { return .rejected(.notFound) }
        return .file(path: text, status: status)
    }

    private func contains(_ resolved: [UInt8]) -> Bool {
        if self.root == [UInt8(ascii: "/")] { return resolved.first == UInt8(ascii: "/") }
        guard resolved.count >= self.root.count, resolved.starts(with: self.root) else { return false }
        return resolved.count == self.root.count || resolved[self.root.count] == UInt8(ascii: "/")
    }
}
