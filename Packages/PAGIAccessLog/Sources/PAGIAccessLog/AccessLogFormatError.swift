/// Why a format string did not compile, where, and the text at fault.
///
/// Compilation is the only place an access-log format can fail: a format that compiles renders
/// every entry without error.
public struct AccessLogFormatError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake the format contains.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Backing: Sendable, Hashable {
            case unknownAtom
            case unterminatedArgument
            case missingSelector
            case danglingPercent
            case emptyArgument
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// A `%` followed by a letter (or `%{…}` by a selector) that names no atom, e.g. `%Z`.
        public static let unknownAtom = Code(.unknownAtom)
        /// A `%{` with no closing `}`.
        public static let unterminatedArgument = Code(.unterminatedArgument)
        /// A `%{…}` not followed by a selector letter (`i`, `o` or `t`).
        public static let missingSelector = Code(.missingSelector)
        /// A `%` at the very end of the format.
        public static let danglingPercent = Code(.danglingPercent)
        /// A `%{}i`, `%{}o` or `%{}t` with nothing between the braces.
        public static let emptyArgument = Code(.emptyArgument)

        /// The code's name, e.g. `unknownAtom`.
        public var description: String {
            switch self.backing {
            case .unknownAtom: "unknownAtom"
            case .unterminatedArgument: "unterminatedArgument"
            case .missingSelector: "missingSelector"
            case .danglingPercent: "danglingPercent"
            case .emptyArgument: "emptyArgument"
            }
        }
    }

    /// What kind of mistake it is.
    public var code: Code
    /// The 1-based column (in Unicode scalars) of the `%` that starts the offending directive.
    public var column: Int
    /// The offending text, from its `%` on, e.g. `%Z` or `%{Referer}`.
    public var text: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of mistake.
    ///   - column: The 1-based column of the offending `%`.
    ///   - text: The offending text.
    public init(code: Code, column: Int, text: String) {
        self.code = code
        self.column = column
        self.text = text
    }

    /// What failed, where, and how to fix it, e.g. `unknown atom '%Z' at column 14 (…)`.
    public var description: String {
        switch self.code {
        case .unknownAtom:
            "unknown atom '\(self.text)' at column \(self.column) (write '%%' for a literal percent sign; `pagi-logfmt atoms` lists the atoms)"
        case .unterminatedArgument:
            "unterminated '%{' at column \(self.column): '\(self.text)' has no closing '}' (close it, as in %{User-Agent}i)"
        case .missingSelector:
            "missing selector after '\(self.text)' at column \(self.column) (follow it with i for a request header, o for a response header or t for a time format)"
        case .danglingPercent:
            "dangling '%' at column \(self.column) at the end of the format (write '%%' for a literal percent sign)"
        case .emptyArgument:
            "empty argument in '\(self.text)' at column \(self.column) (put a header name or time format between the braces)"
        default:
            "invalid access log format at column \(self.column): '\(self.text)'"
        }
    }
}
