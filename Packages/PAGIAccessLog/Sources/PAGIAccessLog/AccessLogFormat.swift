/// An access-log format compiled once, rendered once per request.
///
/// Compile at startup from a preset name (`clf`, `combined`, `common`, `tiny`) or an
/// Apache-style format string; every mistake is reported then, with its column
/// (``AccessLogFormatError``). Rendering (``render(_:into:)``) walks a flat instruction array and
/// appends to a caller-owned buffer: no allocation per line once the buffer has grown to a line's
/// size, and no failure path. Parsing (``parse(_:)``) reads lines this format produced back into
/// named fields.
///
/// The value is immutable and `Sendable`: one compiled format can be shared by every event loop.
public struct AccessLogFormat: Sendable, Hashable, CustomStringConvertible {
    /// A piece of a compiled format.
    public enum Component: Sendable, Hashable {
        /// Text copied as is (a `%%` in the source is one `%` here).
        case literal(String)
        /// A directive.
        case atom(AccessLogAtom)
    }

    /// The preset this format was compiled from, if it was given by name.
    public let preset: AccessLogPreset?
    /// The compiled pieces, in order.
    public let components: [Component]

    /// The render program: each step renders one atom and then copies the literal text that
    /// follows it (``Instruction/suffixStart``), so the `combined` line is 7 steps, not 18.
    /// Atoms that always print the same text (`%l`, `%u`) are folded into that literal text at
    /// compile time; a format that starts with text begins with a ``Instruction/Operation/literal``
    /// step that renders nothing but its suffix.
    let instructions: [Instruction]
    /// Literal bytes, lower-cased header names and NUL-terminated `strftime` formats that
    /// ``instructions`` point into, followed by ``AccessLogLineWriter/shortLiteralReadLength`` zero
    /// bytes so a short literal can be copied with two 8-byte loads. Kept in one array so an
    /// instruction is a trivial value and the render loop does no reference counting.
    let storage: [UInt8]

    /// Compiles a preset name or a format string.
    ///
    /// A string that equals a preset name (``AccessLogPreset``) selects that preset, as the
    /// reference server does; anything else is a format.
    /// - Parameter formatOrPreset: A preset name or a format string.
    /// - Throws: ``AccessLogFormatError`` naming the first mistake and its column.
    public init(_ formatOrPreset: String) throws(AccessLogFormatError) {
        if let preset = AccessLogPreset(rawValue: formatOrPreset) {
            self.init(preset: preset)
        } else {
            try self.init(format: formatOrPreset)
        }
    }

    /// Compiles a format string; preset names are not looked up.
    /// - Parameter format: The format string.
    /// - Throws: ``AccessLogFormatError`` naming the first mistake and its column.
    public init(format: String) throws(AccessLogFormatError) {
        let components = try AccessLogFormatParser.parse(format)
        self.init(components: components, preset: nil)
    }

    /// The compiled form of a preset.
    /// - Parameter preset: The preset.
    public init(preset: AccessLogPreset) {
        do {
            let components = try AccessLogFormatParser.parse(preset.format)
            self.init(components: components, preset: preset)
        } catch {
            preconditionFailure("built-in preset '\(preset.rawValue)' failed to compile: \(error)")
        }
    }

    /// The reference server's default format, ``AccessLogPreset/clf``.
    public static let `default` = AccessLogFormat(preset: .default)

    init(components: [Component], preset: AccessLogPreset?) {
        self.preset = preset
        self.components = components
        var storage: [UInt8] = []
        var instructions: [Instruction] = []
        instructions.reserveCapacity(components.count)
        /// Literal text waiting to become the suffix of the last step.
        var pending: [UInt8] = []
        func flushLiteral() {
            guard !pending.isEmpty else { return }
            if instructions.isEmpty {
                instructions.append(Instruction(operation: .literal))
            }
            instructions[instructions.count - 1].setSuffix(pending, storage: &storage)
            pending.removeAll()
        }
        for component in components {
            switch component {
            case .literal(let text):
                pending.append(contentsOf: text.utf8)
            case .atom(let atom):
                if let constant = Instruction.constantText(of: atom) {
                    pending.append(contentsOf: constant.utf8)
                    continue
                }
                flushLiteral()
                instructions.append(Instruction(atom, storage: &storage))
            }
        }
        flushLiteral()
        storage.append(contentsOf: repeatElement(0, count: AccessLogLineWriter.shortLiteralReadLength))
        self.instructions = instructions
        self.storage = storage
    }

    /// The format with every directive in canonical spelling and every literal `%` doubled; it
    /// compiles to the same components.
    public var normalized: String {
        var text = ""
        for component in self.components {
            switch component {
            case .literal(let literal):
                for scalar in literal.unicodeScalars {
                    text.unicodeScalars.append(scalar)
                    if scalar == "%" { text.unicodeScalars.append(scalar) }
                }
            case .atom(let atom):
                text += atom.syntax
            }
        }
        return text
    }

    /// The normalised format (``normalized``).
    public var description: String { self.normalized }

    /// The atoms of the format, in order.
    public var atoms: [AccessLogAtom] {
        self.components.compactMap {
            if case .atom(let atom) = $0 { atom } else { nil }
        }
    }
}

/// One step of the render loop: an atom (a tag plus a range of ``AccessLogFormat/storage`` for its
/// operand) followed by a run of literal text (another range of the storage).
struct Instruction: Sendable, Hashable {
    enum Operation: UInt8, Sendable, Hashable {
        /// Renders nothing but the suffix: the text a format starts with.
        case literal
        case clientHost
        case localAddress
        case localPort
        /// `-` (`%l`, `%u`); the compiler folds these into the surrounding literal instead.
        case dash
        case time
        case formattedTime
        case epochSeconds
        case epochMilliseconds
        case epochMicroseconds
        case millisecondFraction
        case microsecondFraction
        case requestLine
        case method
        case path
        case query
        case httpProtocol
        case status
        case bodyBytesCLF
        case bodyBytes
        case bytesReceived
        case bytesSent
        case durationSeconds
        case durationMicroseconds
        case durationWholeSeconds
        case requestHeader
        case responseHeader
        case processID
        case keepAliveRequests
        case connectionStatus
    }

    var operation: Operation
    /// Where the operand starts in the storage (header name, strftime format).
    var start: Int32
    /// The operand's length, without the NUL of a strftime format.
    var count: Int32
    /// Where the literal text after the atom starts in the storage.
    var suffixStart: Int32 = 0
    /// The length of the literal text after the atom; 0 for none.
    var suffixCount: Int32 = 0

    init(operation: Operation, start: Int32 = 0, count: Int32 = 0) {
        self.operation = operation
        self.start = start
        self.count = count
    }

    /// The text an atom always prints whatever the request, folded into the literal around it.
    static func constantText(of atom: AccessLogAtom) -> String? {
        switch atom {
        case .remoteLogname, .remoteUser: "-"
        default: nil
        }
    }

    /// Makes `text` the literal this step copies after its atom.
    mutating func setSuffix(_ text: [UInt8], storage: inout [UInt8]) {
        self.suffixStart = Int32(truncatingIfNeeded: storage.count)
        self.suffixCount = Int32(truncatingIfNeeded: text.count)
        storage.append(contentsOf: text)
    }

    /// The step for `atom` (not one of the ``constantText(of:)`` atoms), without a suffix yet.
    init(_ atom: AccessLogAtom, storage: inout [UInt8]) {
        switch atom {
        case .clientHost, .clientAddress: self.init(operation: .clientHost)
        case .localAddress: self.init(operation: .localAddress)
        case .localPort: self.init(operation: .localPort)
        case .remoteLogname, .remoteUser: self.init(operation: .dash)  // normally folded into the literals
        case .time: self.init(operation: .time)
        case .formattedTime(let format):
            self = Self.operand(.formattedTime, Array(format.utf8), storage: &storage)
            // strftime wants a C string; the terminator sits just past the operand.
            storage.append(0)
        case .epochSeconds: self.init(operation: .epochSeconds)
        case .epochMilliseconds: self.init(operation: .epochMilliseconds)
        case .epochMicroseconds: self.init(operation: .epochMicroseconds)
        case .millisecondFraction: self.init(operation: .millisecondFraction)
        case .microsecondFraction: self.init(operation: .microsecondFraction)
        case .requestLine: self.init(operation: .requestLine)
        case .method: self.init(operation: .method)
        case .path: self.init(operation: .path)
        case .query: self.init(operation: .query)
        case .httpProtocol: self.init(operation: .httpProtocol)
        case .status: self.init(operation: .status)
        case .bodyBytesCLF: self.init(operation: .bodyBytesCLF)
        case .bodyBytes: self.init(operation: .bodyBytes)
        case .bytesReceived: self.init(operation: .bytesReceived)
        case .bytesSent: self.init(operation: .bytesSent)
        case .durationSeconds: self.init(operation: .durationSeconds)
        case .durationMicroseconds: self.init(operation: .durationMicroseconds)
        case .durationWholeSeconds: self.init(operation: .durationWholeSeconds)
        case .requestHeader(let name):
            self = Self.operand(.requestHeader, name.utf8.map(AccessLogASCII.lowercase), storage: &storage)
        case .responseHeader(let name):
            self = Self.operand(.responseHeader, name.utf8.map(AccessLogASCII.lowercase), storage: &storage)
        case .processID: self.init(operation: .processID)
        case .keepAliveRequests: self.init(operation: .keepAliveRequests)
        case .connectionStatus: self.init(operation: .connectionStatus)
        }
    }

    private static func operand(_ operation: Operation, _ bytes: [UInt8], storage: inout [UInt8]) -> Instruction {
        let start = Int32(truncatingIfNeeded: storage.count)
        storage.append(contentsOf: bytes)
        return Instruction(operation: operation, start: start, count: Int32(truncatingIfNeeded: bytes.count))
    }
}
