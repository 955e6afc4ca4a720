/// One field recovered from a log line: the atom that printed it and its text.
public struct AccessLogField: Sendable, Hashable {
    /// The atom that produced the field.
    public var atom: AccessLogAtom
    /// The field's text as printed, with the log escaping (`\"`, `\\`, `\xhh`) undone, so a path
    /// or header value comes back byte for byte. Placeholders stay as printed (`-` for a missing
    /// header, `?` in front of a query).
    public var value: String

    /// The field's name, ``AccessLogAtom/fieldName``.
    public var name: String { self.atom.fieldName }

    /// Creates a field.
    /// - Parameters:
    ///   - atom: The atom.
    ///   - value: The unescaped text.
    public init(atom: AccessLogAtom, value: String) {
        self.atom = atom
        self.value = value
    }
}

/// The fields of one parsed log line, in format order.
public struct AccessLogParsedLine: Sendable, Hashable {
    /// The fields, one per atom of the format, in order.
    public var fields: [AccessLogField]

    /// Creates a parsed line.
    /// - Parameter fields: The fields in order.
    public init(fields: [AccessLogField]) {
        self.fields = fields
    }

    /// The value of the first field printed by `atom`, or `nil` if the format has no such atom.
    /// - Parameter atom: The atom to look up.
    public subscript(atom: AccessLogAtom) -> String? {
        self.fields.first { $0.atom == atom }?.value
    }
}

/// A log line that the format could not have produced.
public struct AccessLogLineMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based column (in bytes) of the furthest point the match reached.
    public var column: Int
    /// What was expected there: a literal in quotes or an atom's syntax.
    public var expected: String

    /// Creates a mismatch.
    /// - Parameters:
    ///   - column: The 1-based column where matching stopped.
    ///   - expected: What the format wanted there.
    public init(column: Int, expected: String) {
        self.column = column
        self.expected = expected
    }

    /// Where the line stops matching and what the format expected there.
    public var description: String {
        "line does not match the format: expected \(self.expected) at column \(self.column) (was it written with a different format?)"
    }
}
