/// Header storage the renderer can ask for one field's first value.
///
/// The server conforms its own header type (for PAGI, a thin wrapper over `PAGIHeaders`, which
/// already stores lower-cased names), so `%{Name}i` costs one scan of the fields and no copy.
public protocol AccessLogHeaderLookup {
    /// Calls `body` with the bytes of the first field named `lowercasedName`, or with `nil`.
    ///
    /// - Parameters:
    ///   - lowercasedName: The field name, ASCII lower-cased. Compare it case-insensitively
    ///     against the stored names (HTTP field names are case-insensitive).
    ///   - body: Receives the value's bytes; the pointer is valid only during the call.
    /// - Returns: What `body` returns.
    func withFirstValue<Result>(
        forLowercasedName lowercasedName: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer?) -> Result
    ) -> Result
}

/// An ordered list of header fields for callers without a header type of their own (tests,
/// tools, the `pagi-logfmt` CLI).
public struct AccessLogHeaderList: AccessLogHeaderLookup, Sendable, Hashable, ExpressibleByArrayLiteral {
    /// The fields in order, names as given.
    public var fields: [(name: String, value: String)] {
        get { self.storage.map { ($0.name, $0.value) } }
        set { self.storage = newValue.map { Field(name: $0.name, value: $0.value) } }
    }

    private struct Field: Sendable, Hashable {
        var name: String
        var value: String
    }

    private var storage: [Field]

    /// Creates a header list.
    /// - Parameter fields: The fields in order.
    public init(_ fields: [(name: String, value: String)] = []) {
        self.storage = fields.map { Field(name: $0.name, value: $0.value) }
    }

    /// Creates a header list from a literal of `(name, value)` pairs.
    /// - Parameter elements: The fields in order.
    public init(arrayLiteral elements: (String, String)...) {
        self.storage = elements.map { Field(name: $0.0, value: $0.1) }
    }

    /// Appends a field.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The field value.
    public mutating func append(name: String, value: String) {
        self.storage.append(Field(name: name, value: value))
    }

    /// Calls `body` with the first value whose name matches case-insensitively, or with `nil`.
    /// - Parameters:
    ///   - lowercasedName: The field name, ASCII lower-cased.
    ///   - body: Receives the value's bytes.
    /// - Returns: What `body` returns.
    public func withFirstValue<Result>(
        forLowercasedName lowercasedName: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer?) -> Result
    ) -> Result {
        for field in self.storage {
            var name = field.name
            let matches = name.withUTF8 { AccessLogASCII.equalsLowercased(UnsafeRawBufferPointer($0), lowercasedName) }
            if matches {
                var value = field.value
                return value.withUTF8 { body(UnsafeRawBufferPointer($0)) }
            }
        }
        return body(nil)
    }
}

/// ASCII helpers shared by the header lookups.
enum AccessLogASCII {
    /// Whether `bytes` equals `lowercased` ignoring ASCII case (`lowercased` must be lower-case).
    static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ lowercased: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count == lowercased.count else { return false }
        for index in 0..<bytes.count where lowercase(bytes[index]) != lowercased[index] {
            return false
        }
        return true
    }

    /// The byte with `A`–`Z` mapped to `a`–`z`.
    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte &+ ((byte &- 0x41) < 26 ? 0x20 : 0)
    }
}
