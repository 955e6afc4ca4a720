/// Compiles a format string into components, reporting the first mistake with its column.
///
/// A single forward pass over the UTF-8 bytes: literal runs (with `%%` folded in) become one
/// literal component, each directive one atom. Columns count Unicode scalars so a caret printed
/// under the format lines up in a terminal.
struct AccessLogFormatParser {
    private let bytes: [UInt8]
    private var index = 0
    private var components: [AccessLogFormat.Component] = []
    private var literal: [UInt8] = []

    init(_ format: String) {
        self.bytes = Array(format.utf8)
    }

    /// Parses the whole format.
    /// - Returns: The components in order; adjacent literal text is merged.
    /// - Throws: ``AccessLogFormatError`` for the first mistake.
    static func parse(_ format: String) throws(AccessLogFormatError) -> [AccessLogFormat.Component] {
        var parser = AccessLogFormatParser(format)
        return try parser.run()
    }

    private mutating func run() throws(AccessLogFormatError) -> [AccessLogFormat.Component] {
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "%") {
                try self.directive()
            } else {
                self.literal.append(byte)
                self.index += 1
            }
        }
        self.flushLiteral()
        return self.components
    }

    private mutating func directive() throws(AccessLogFormatError) {
        let start = self.index
        self.index += 1
        guard self.index < self.bytes.count else {
            throw self.error(.danglingPercent, from: start, to: self.index)
        }
        var next = self.bytes[self.index]
        switch next {
        case UInt8(ascii: "%"):
            self.literal.append(next)
            self.index += 1
            return
        case UInt8(ascii: "{"):
            try self.bracedDirective(start: start)
            return
        case UInt8(ascii: ">"), UInt8(ascii: "<"):
            // Apache's "original/final request" modifiers; only meaningful for %s, and with no
            // internal redirects both mean the one status we have.
            guard self.index + 1 < self.bytes.count, self.bytes[self.index + 1] == UInt8(ascii: "s") else {
                throw self.error(.unknownAtom, from: start, to: self.scalarEnd(after: self.index))
            }
            self.index += 1
            next = self.bytes[self.index]
        default:
            break
        }
        guard let atom = AccessLogAtom.simple(next) else {
            throw self.error(.unknownAtom, from: start, to: self.scalarEnd(after: self.index))
        }
        self.index += 1
        self.append(atom)
    }

    private mutating func bracedDirective(start: Int) throws(AccessLogFormatError) {
        let argumentStart = self.index + 1
        guard let close = self.bytes[argumentStart...].firstIndex(of: UInt8(ascii: "}")) else {
            throw self.error(.unterminatedArgument, from: start, to: self.bytes.count)
        }
        let argument = String(decoding: self.bytes[argumentStart..<close], as: UTF8.self)
        let selectorIndex = close + 1
        guard selectorIndex < self.bytes.count, Self.isLetter(self.bytes[selectorIndex]) else {
            throw self.error(.missingSelector, from: start, to: selectorIndex)
        }
        let selector = self.bytes[selectorIndex]
        let atom: AccessLogAtom
        switch selector {
        case UInt8(ascii: "i"): atom = .requestHeader(argument)
        case UInt8(ascii: "o"): atom = .responseHeader(argument)
        case UInt8(ascii: "t"): atom = Self.timeAtom(argument)
        default: throw self.error(.unknownAtom, from: start, to: selectorIndex + 1)
        }
        guard !argument.isEmpty else {
            throw self.error(.emptyArgument, from: start, to: selectorIndex + 1)
        }
        self.index = selectorIndex + 1
        self.append(atom)
    }

    private static func timeAtom(_ argument: String) -> AccessLogAtom {
        switch argument {
        case "sec": .epochSeconds
        case "msec": .epochMilliseconds
        case "usec": .epochMicroseconds
        case "msec_frac": .millisecondFraction
        case "usec_frac": .microsecondFraction
        default: .formattedTime(argument)
        }
    }

    private mutating func append(_ atom: AccessLogAtom) {
        self.flushLiteral()
        self.components.append(.atom(atom))
    }

    private mutating func flushLiteral() {
        guard !self.literal.isEmpty else { return }
        self.components.append(.literal(String(decoding: self.literal, as: UTF8.self)))
        self.literal.removeAll(keepingCapacity: true)
    }

    /// The index just past the Unicode scalar starting at `index`, so `%é` reports `%é`, not half of it.
    private func scalarEnd(after index: Int) -> Int {
        var end = index + 1
        while end < self.bytes.count, self.bytes[end] & 0xC0 == 0x80 {
            end += 1
        }
        return end
    }

    private func error(_ code: AccessLogFormatError.Code, from start: Int, to end: Int) -> AccessLogFormatError {
        let column = 1 + self.bytes[..<start].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        let text = String(decoding: self.bytes[start..<min(end, self.bytes.count)], as: UTF8.self)
        return AccessLogFormatError(code: code, column: column, text: text)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26
    }

    /// `name` with ASCII letters lower-cased (header names compare case-insensitively).
    static func lowercased(_ name: String) -> String {
        String(decoding: name.utf8.map(AccessLogASCII.lowercase), as: UTF8.self)
    }
}
