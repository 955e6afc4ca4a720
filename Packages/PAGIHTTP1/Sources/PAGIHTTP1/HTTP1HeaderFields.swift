/// One header (or trailer) field of a parsed request: its lower-cased name and its value, both as
/// slices of the parser's head buffer.
public struct HTTP1HeaderField: Sendable, Hashable {
    /// The field name, ASCII lower-cased.
    public var name: ArraySlice<UInt8>
    /// The field value as received, without leading and trailing spaces and tabs.
    public var value: ArraySlice<UInt8>

    /// Creates a field from its name and value bytes.
    /// - Parameters:
    ///   - name: The field name (expected lower-case).
    ///   - value: The field value.
    @inlinable
    public init(name: ArraySlice<UInt8>, value: ArraySlice<UInt8>) {
        self.name = name
        self.value = value
    }

    /// The name decoded as text (field names are ASCII tokens, so this never loses information).
    public var nameString: String { String(decoding: self.name, as: UTF8.self) }
    /// The value decoded as UTF-8; invalid sequences become U+FFFD, use ``value`` for the exact bytes.
    public var valueString: String { String(decoding: self.value, as: UTF8.self) }
}

/// Where one field's name and value lie in the head buffer.
@usableFromInline
struct HTTP1FieldIndex: Sendable, Hashable {
    @usableFromInline var nameStart: Int32
    @usableFromInline var nameLength: Int32
    @usableFromInline var valueStart: Int32
    @usableFromInline var valueLength: Int32

    @usableFromInline
    init(nameStart: Int, nameLength: Int, valueStart: Int, valueLength: Int) {
        self.nameStart = Int32(truncatingIfNeeded: nameStart)
        self.nameLength = Int32(truncatingIfNeeded: nameLength)
        self.valueStart = Int32(truncatingIfNeeded: valueStart)
        self.valueLength = Int32(truncatingIfNeeded: valueLength)
    }
}

/// The header (or trailer) fields of a parsed request, in the order received, duplicates kept.
///
/// A view over the parser's buffer: building it copies nothing. Names are lower-cased; values are
/// the bytes received minus surrounding whitespace. Same-name fields are not merged — joining
/// `Cookie` fields with `"; "` (PAGI protocol §3.4) is the scope builder's job.
public struct HTTP1HeaderFields: RandomAccessCollection, Sendable, Hashable {
    @usableFromInline let bytes: [UInt8]
    @usableFromInline let fields: [HTTP1FieldIndex]

    @usableFromInline
    init(bytes: [UInt8], fields: [HTTP1FieldIndex]) {
        self.bytes = bytes
        self.fields = fields
    }

    /// The position of the first field.
    public var startIndex: Int { 0 }
    /// The position one past the last field.
    public var endIndex: Int { self.fields.count }

    /// The field at `position`.
    /// - Parameter position: A valid index of the collection.
    @inlinable
    public subscript(position: Int) -> HTTP1HeaderField {
        let index = self.fields[position]
        let nameStart = Int(index.nameStart)
        let valueStart = Int(index.valueStart)
        return HTTP1HeaderField(
            name: self.bytes[nameStart..<(nameStart + Int(index.nameLength))],
            value: self.bytes[valueStart..<(valueStart + Int(index.valueLength))]
        )
    }

    /// The value of the first field called `name`, or `nil` if there is none.
    /// - Parameter name: The field name; compared ASCII case-insensitively.
    /// - Returns: The value bytes of the first matching field.
    public func first(name: String) -> ArraySlice<UInt8>? {
        self.first { HTTP1Bytes.equalsCaseInsensitive($0.name, name.utf8) }?.value
    }

    /// The values of every field called `name`, in order.
    /// - Parameter name: The field name; compared ASCII case-insensitively.
    /// - Returns: The value bytes of each matching field.
    public func values(name: String) -> [ArraySlice<UInt8>] {
        self.filter { HTTP1Bytes.equalsCaseInsensitive($0.name, name.utf8) }.map(\.value)
    }

    /// Two field lists are equal when they hold the same fields in the same order.
    public static func == (lhs: HTTP1HeaderFields, rhs: HTTP1HeaderFields) -> Bool {
        lhs.elementsEqual(rhs)
    }

    /// Hashes the fields in order.
    public func hash(into hasher: inout Hasher) {
        for field in self {
            hasher.combine(field)
        }
    }
}
