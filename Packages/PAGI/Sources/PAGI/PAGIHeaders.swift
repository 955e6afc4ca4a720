/// An ordered list of header fields: lower-case names, opaque byte values, duplicates kept.
///
/// This is the header list of the PAGI data model (protocol §2.2). Order and duplicates are
/// preserved exactly (`set-cookie` relies on it); a dictionary would lose both.
///
/// All fields share one byte buffer plus one index array, so a request's headers cost two
/// allocations however many fields it has.
///
/// Names are lower-cased (ASCII) when added; values are stored as given. Whether a field may be
/// *emitted* on the wire (no CR, LF or NUL; a token name) is checked when the server sends it, see
/// ``validateForEmission(context:)``.
public struct PAGIHeaders: Sendable, Hashable {

    struct FieldIndex: Sendable, Hashable {
        var nameStart: UInt32
        var nameLength: UInt32
        var valueStart: UInt32
        var valueLength: UInt32
    }

    var bytes: [UInt8]
    var fields: [FieldIndex]

    /// Creates an empty header list.
    /// - Parameter capacity: The number of fields to reserve space for.
    public init(capacity: Int = 0) {
        self.bytes = []
        self.fields = []
        if capacity > 0 {
            self.bytes.reserveCapacity(capacity * 32)
            self.fields.reserveCapacity(capacity)
        }
    }

    /// Creates a header list from name/value pairs; names are lower-cased.
    /// - Parameter pairs: The fields in order.
    public init(_ pairs: [(String, String)]) {
        self.init(capacity: pairs.count)
        for (name, value) in pairs {
            self.add(name: name, value: value)
        }
    }

    /// Reserves storage for a known header section size.
    /// - Parameters:
    ///   - fieldCount: The number of fields expected.
    ///   - byteCount: The total bytes of names and values expected.
    public mutating func reserveCapacity(fields fieldCount: Int, bytes byteCount: Int) {
        self.fields.reserveCapacity(fieldCount)
        self.bytes.reserveCapacity(byteCount)
    }

    /// Appends a field; the name is lower-cased.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The field value, stored as its UTF-8 bytes.
    public mutating func add(name: String, value: String) {
        var name = name
        var value = value
        name.withUTF8 { nameBytes in
            value.withUTF8 { valueBytes in
                self.add(nameBytes: UnsafeRawBufferPointer(nameBytes), valueBytes: UnsafeRawBufferPointer(valueBytes))
            }
        }
    }

    /// Appends a field from raw bytes; the name is lower-cased (ASCII), the value kept as is.
    ///
    /// This is the entry point parsers use: it copies straight from the receive buffer.
    /// - Parameters:
    ///   - nameBytes: The field name's bytes.
    ///   - valueBytes: The field value's bytes.
    public mutating func add(nameBytes: UnsafeRawBufferPointer, valueBytes: UnsafeRawBufferPointer) {
        let nameStart = UInt32(truncatingIfNeeded: self.bytes.count)
        for byte in nameBytes {
            self.bytes.append(byte &+ ((byte &- 0x41) < 26 ? 0x20 : 0))
        }
        let valueStart = UInt32(truncatingIfNeeded: self.bytes.count)
        self.bytes.append(contentsOf: valueBytes)
        self.fields.append(
            FieldIndex(
                nameStart: nameStart,
                nameLength: UInt32(truncatingIfNeeded: nameBytes.count),
                valueStart: valueStart,
                valueLength: UInt32(truncatingIfNeeded: valueBytes.count)
            )
        )
    }

    /// Appends a field from byte arrays; the name is lower-cased (ASCII).
    /// - Parameters:
    ///   - nameBytes: The field name's bytes.
    ///   - valueBytes: The field value's bytes.
    public mutating func add(nameBytes: [UInt8], valueBytes: [UInt8]) {
        nameBytes.withUnsafeBytes { name in
            valueBytes.withUnsafeBytes { value in
                self.add(nameBytes: name, valueBytes: value)
            }
        }
    }

    /// Removes every field with the given name.
    /// - Parameter name: The field name, matched case-insensitively.
    public mutating func removeAll(name: String) {
        let target = Array(name.utf8)
        // Offsets into `bytes` stay valid: removed fields' bytes are simply no longer referenced.
        self.fields.removeAll { field in
            Self.nameMatches(self.bytes, field, target)
        }
    }

    /// Replaces every field named `name` with one field, or appends it when absent.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The new value.
    public mutating func replaceOrAdd(name: String, value: String) {
        self.removeAll(name: name)
        self.add(name: name, value: value)
    }

    /// The number of fields.
    public var count: Int { self.fields.count }

    /// Whether the list has no fields.
    public var isEmpty: Bool { self.fields.isEmpty }

    /// Whether a field with this name exists.
    /// - Parameter name: The field name, matched case-insensitively.
    public func contains(name: String) -> Bool {
        let target = Array(name.utf8)
        return self.fields.contains { Self.nameMatches(self.bytes, $0, target) }
    }

    /// The value of the first field with this name, decoded as UTF-8 (invalid bytes replaced).
    /// - Parameter name: The field name, matched case-insensitively.
    /// - Returns: The value, or `nil` when there is no such field.
    public func first(name: String) -> String? {
        let target = Array(name.utf8)
        guard let field = self.fields.first(where: { Self.nameMatches(self.bytes, $0, target) }) else {
            return nil
        }
        return String(decoding: self.valueSlice(field), as: UTF8.self)
    }

    /// The values of every field with this name, in order.
    /// - Parameter name: The field name, matched case-insensitively.
    public func values(name: String) -> [String] {
        let target = Array(name.utf8)
        return self.fields.lazy.filter { Self.nameMatches(self.bytes, $0, target) }.map {
            String(decoding: self.valueSlice($0), as: UTF8.self)
        }
    }

    /// Whether any field with this name holds `token` in its comma-separated list (case-insensitive).
    ///
    /// Use it for list-valued fields such as `connection: keep-alive, Upgrade`.
    /// - Parameters:
    ///   - token: The token to look for.
    ///   - name: The field name.
    public func containsToken(_ token: String, inFieldNamed name: String) -> Bool {
        let wanted = token.lowercased()
        for value in self.values(name: name) {
            for element in value.split(separator: ",") {
                if element.trimmingASCIISpaces().lowercased() == wanted {
                    return true
                }
            }
        }
        return false
    }

    /// Whether some field satisfies `predicate`, which sees each field's name (lower-case) and value
    /// bytes in place, in order, until it returns `true`.
    ///
    /// For scans a server runs on every request: unlike iterating the collection, it creates no
    /// slices, so it costs no reference counting per field. The buffers are only valid inside
    /// `predicate`.
    public func containsField(
        where predicate: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Bool
    ) rethrows -> Bool {
        try self.bytes.withUnsafeBytes { storage in
            for field in self.fields {
                let name = UnsafeRawBufferPointer(rebasing: storage[Int(field.nameStart)..<Int(field.nameStart + field.nameLength)])
                let value = UnsafeRawBufferPointer(rebasing: storage[Int(field.valueStart)..<Int(field.valueStart + field.valueLength)])
                if try predicate(name, value) {
                    return true
                }
            }
            return false
        }
    }

    static func nameMatches(_ bytes: [UInt8], _ field: FieldIndex, _ target: [UInt8]) -> Bool {
        guard Int(field.nameLength) == target.count else { return false }
        var index = Int(field.nameStart)
        for byte in target {
            // Stored names are lower-case already; fold the query's ASCII letters to match.
            let folded = byte &+ ((byte &- 0x41) < 26 ? 0x20 : 0)
            if bytes[index] != folded { return false }
            index += 1
        }
        return true
    }

    func nameSlice(_ field: FieldIndex) -> ArraySlice<UInt8> {
        self.bytes[Int(field.nameStart)..<Int(field.nameStart + field.nameLength)]
    }

    func valueSlice(_ field: FieldIndex) -> ArraySlice<UInt8> {
        self.bytes[Int(field.valueStart)..<Int(field.valueStart + field.valueLength)]
    }

    public static func == (lhs: PAGIHeaders, rhs: PAGIHeaders) -> Bool {
        // Same layout — a list compared with a copy of itself, as a server comparing an
        // application's constant response headers does — is two array compares, each of which
        // starts with an identity check. Equal fields laid out differently take the long way.
        if lhs.fields == rhs.fields && lhs.bytes == rhs.bytes {
            return true
        }
        return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.nameBytes == $1.nameBytes && $0.valueBytes == $1.valueBytes }
    }

    public func hash(into hasher: inout Hasher) {
        for field in self {
            hasher.combine(field.nameBytes)
            hasher.combine(field.valueBytes)
        }
    }
}

/// One header field of a ``PAGIHeaders`` list.
public struct PAGIHeaderField: Sendable, Hashable {
    /// The lower-case name's bytes.
    public var nameBytes: ArraySlice<UInt8>
    /// The value's bytes, exactly as received or given.
    public var valueBytes: ArraySlice<UInt8>

    /// The name as text.
    public var name: String { String(decoding: self.nameBytes, as: UTF8.self) }
    /// The value decoded as UTF-8; invalid bytes become U+FFFD. Use ``valueBytes`` for the exact bytes.
    public var value: String { String(decoding: self.valueBytes, as: UTF8.self) }
}

extension PAGIHeaders: RandomAccessCollection {
    public typealias Index = Int
    public typealias Element = PAGIHeaderField

    public var startIndex: Int { 0 }
    public var endIndex: Int { self.fields.count }

    public subscript(position: Int) -> PAGIHeaderField {
        let field = self.fields[position]
        return PAGIHeaderField(nameBytes: self.nameSlice(field), valueBytes: self.valueSlice(field))
    }
}

extension PAGIHeaders: ExpressibleByArrayLiteral {
    /// Creates a header list from `(name, value)` pairs; names are lower-cased.
    public init(arrayLiteral elements: (String, String)...) {
        self.init(elements)
    }
}

extension PAGIHeaders: CustomStringConvertible {
    public var description: String {
        "[" + self.map { "(\"\($0.name)\", \"\($0.value)\")" }.joined(separator: ", ") + "]"
    }
}

extension Substring {
    fileprivate func trimmingASCIISpaces() -> Substring {
        var slice = self
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return slice
    }
}
