/// Matches a log line against a compiled format and splits it into fields.
///
/// Atoms sit next to each other with no separator (`%U%q`), and free-text atoms (`%r`, headers)
/// contain spaces, so the matcher backtracks: each atom takes the shortest text its lexical class
/// accepts that lets the rest of the line match. Failed `(component, position)` pairs are
/// remembered, which bounds the work at components × line length² even for hostile lines.
///
/// The split is unambiguous for every preset. In custom formats two free-text atoms with nothing
/// between them cannot be told apart; the first gets the shortest possible text. `%U%q` splits at
/// the first `?`, so a path containing a literal `?` is not recovered.
struct AccessLogLineParser {
    /// What text an atom can print, for matching it back.
    enum LexicalClass {
        /// Escaped text without spaces, at least one byte (`%h`, `%m`, …).
        case word
        /// Escaped text, spaces allowed, possibly empty (`%{Name}i`, `%{format}t`).
        case text
        /// `%r`: escaped text with at least one byte.
        case requestLine
        /// Decimal digits, optionally signed.
        case integer
        /// Exactly `count` digits.
        case fixedDigits(Int)
        /// Digits or `-` (`%s`, `%b`, `%p`).
        case integerOrDash
        /// `DD/Mon/YYYY:HH:MM:SS +0000`.
        case commonLogTime
        /// `%U`: a word without `?`.
        case path
        /// `%q`: empty, or `?` and a word.
        case query
        /// `%H`: `HTTP/` and a word.
        case httpProtocol
        /// `%d`: digits, `.`, three digits.
        case secondsWithMilliseconds
        /// `%X`: one of `X`, `+`, `-`.
        case connectionStatus

        /// Free text: any run of escaper output, matched by ``AccessLogLineParser/matchEscapedText``.
        var isEscapedText: Bool {
            switch self {
            case .text, .requestLine: true
            default: false
            }
        }

        /// Whether the free text may be empty (a header with an empty value).
        var allowsEmpty: Bool {
            if case .text = self { true } else { false }
        }

        init(_ atom: AccessLogAtom) {
            switch atom {
            case .clientHost, .clientAddress, .localAddress, .remoteLogname, .remoteUser, .method: self = .word
            case .localPort, .status, .bodyBytesCLF: self = .integerOrDash
            case .time: self = .commonLogTime
            case .formattedTime, .requestHeader, .responseHeader: self = .text
            case .epochSeconds, .epochMilliseconds, .epochMicroseconds: self = .integer
            case .millisecondFraction: self = .fixedDigits(3)
            case .microsecondFraction: self = .fixedDigits(6)
            case .requestLine: self = .requestLine
            case .path: self = .path
            case .query: self = .query
            case .httpProtocol: self = .httpProtocol
            case .bodyBytes, .bytesReceived, .bytesSent, .durationMicroseconds, .durationWholeSeconds: self = .integer
            case .processID, .keepAliveRequests: self = .integer
            case .durationSeconds: self = .secondsWithMilliseconds
            case .connectionStatus: self = .connectionStatus
            }
        }
    }

    private enum Step {
        case literal([UInt8])
        case atom(AccessLogAtom, LexicalClass)
    }

    private let steps: [Step]
    private let line: [UInt8]
    private var captures: [Range<Int>]
    /// Memo of `(step, position)` pairs known not to match, indexed `step × (count + 1) + position`.
    private var failed: [Bool]
    private var furthest: (position: Int, step: Int) = (0, 0)

    init(format: AccessLogFormat, line: [UInt8]) {
        self.steps = format.components.map { component in
            switch component {
            case .literal(let text): .literal(Array(text.utf8))
            case .atom(let atom): .atom(atom, LexicalClass(atom))
            }
        }
        self.line = line
        self.captures = Array(repeating: 0..<0, count: self.steps.count)
        self.failed = Array(repeating: false, count: (self.steps.count + 1) * (line.count + 1))
    }

    /// Matches the whole line.
    /// - Returns: The fields, one per atom.
    /// - Throws: ``AccessLogLineMismatch`` at the furthest point any attempt reached.
    mutating func parse() throws(AccessLogLineMismatch) -> AccessLogParsedLine {
        guard self.match(step: 0, at: 0) else {
            let expected: String
            if self.furthest.step < self.steps.count {
                switch self.steps[self.furthest.step] {
                case .literal(let bytes): expected = "'\(String(decoding: bytes, as: UTF8.self))'"
                case .atom(let atom, _): expected = atom.syntax
                }
            } else {
                expected = "end of line"
            }
            throw AccessLogLineMismatch(column: self.furthest.position + 1, expected: expected)
        }
        var fields: [AccessLogField] = []
        for (index, step) in self.steps.enumerated() {
            if case .atom(let atom, _) = step {
                fields.append(AccessLogField(atom: atom, value: Self.unescape(self.line[self.captures[index]])))
            }
        }
        return AccessLogParsedLine(fields: fields)
    }

    private mutating func match(step: Int, at position: Int) -> Bool {
        if (position, step) > self.furthest {
            self.furthest = (position, step)
        }
        guard step < self.steps.count else { return position == self.line.count }
        let key = step &* (self.line.count + 1) &+ position
        guard !self.failed[key] else { return false }
        switch self.steps[step] {
        case .literal(let bytes):
            let end = position + bytes.count
            if end <= self.line.count, self.line[position..<end].elementsEqual(bytes), self.match(step: step + 1, at: end) {
                self.captures[step] = position..<end
                return true
            }
        case .atom(_, let lexicalClass):
            if lexicalClass.isEscapedText {
                if self.matchEscapedText(step: step, at: position, allowsEmpty: lexicalClass.allowsEmpty) {
                    return true
                }
            } else {
                var end = position
                while true {
                    if Self.accepts(lexicalClass, self.line[position..<end]), self.match(step: step + 1, at: end) {
                        self.captures[step] = position..<end
                        return true
                    }
                    guard end < self.line.count, Self.mayContain(lexicalClass, self.line[end]) else { break }
                    end += 1
                }
            }
        }
        self.failed[key] = true
        return false
    }

    /// Tries every end of a free-text atom, shortest first, stepping over whole escape sequences so
    /// each candidate costs O(1) instead of re-validating the prefix.
    private mutating func matchEscapedText(step: Int, at position: Int, allowsEmpty: Bool) -> Bool {
        var end = position
        while true {
            if end > position || allowsEmpty, self.match(step: step + 1, at: end) {
                self.captures[step] = position..<end
                return true
            }
            guard let next = Self.escapeSequenceEnd(self.line, at: end) else { return false }
            end = next
        }
    }

    /// The end of the escaped-text unit (a printable byte, `\"`, `\\` or `\xhh`) starting at
    /// `index`, or `nil` at the end of the line or at a byte the escaper never writes.
    private static func escapeSequenceEnd(_ line: [UInt8], at index: Int) -> Int? {
        guard index < line.count else { return nil }
        let byte = line[index]
        guard (byte &- 0x20) < 0x5F, byte != UInt8(ascii: "\"") else { return nil }
        guard byte == UInt8(ascii: "\\") else { return index + 1 }
        guard index + 1 < line.count else { return nil }
        switch line[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            return index + 2
        case UInt8(ascii: "x"):
            guard index + 3 < line.count, Self.hexValue(line[index + 2]) != nil, Self.hexValue(line[index + 3]) != nil else {
                return nil
            }
            return index + 4
        default:
            return nil
        }
    }

    /// Whether a text of this class can contain `byte` anywhere (a fast stop for the scan).
    private static func mayContain(_ lexicalClass: LexicalClass, _ byte: UInt8) -> Bool {
        let printable = (byte &- 0x20) < 0x5F
        switch lexicalClass {
        case .word, .path, .query, .httpProtocol: return printable && byte != UInt8(ascii: " ")
        case .text, .requestLine: return printable
        case .integer, .integerOrDash: return Self.isDigit(byte) || byte == UInt8(ascii: "-")
        case .fixedDigits: return Self.isDigit(byte)
        case .commonLogTime: return printable
        case .secondsWithMilliseconds: return Self.isDigit(byte) || byte == UInt8(ascii: ".")
        case .connectionStatus: return byte == UInt8(ascii: "X") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
        }
    }

    private static func accepts(_ lexicalClass: LexicalClass, _ text: ArraySlice<UInt8>) -> Bool {
        switch lexicalClass {
        case .word:
            return !text.isEmpty && Self.isEscapedText(text) && !text.contains(UInt8(ascii: " "))
        case .text:
            return Self.isEscapedText(text)
        case .requestLine:
            return !text.isEmpty && Self.isEscapedText(text)
        case .integer:
            let digits = text.first == UInt8(ascii: "-") ? text.dropFirst() : text
            return !digits.isEmpty && digits.allSatisfy(Self.isDigit)
        case .fixedDigits(let count):
            return text.count == count && text.allSatisfy(Self.isDigit)
        case .integerOrDash:
            return text.elementsEqual([UInt8(ascii: "-")]) || Self.accepts(.integer, text)
        case .commonLogTime:
            return Self.isCommonLogTime(text)
        case .path:
            return Self.accepts(.word, text) && !text.contains(UInt8(ascii: "?"))
        case .query:
            return text.isEmpty || (text.first == UInt8(ascii: "?") && Self.accepts(.word, text))
        case .httpProtocol:
            return text.starts(with: "HTTP/".utf8) && Self.accepts(.word, text.dropFirst(5))
        case .secondsWithMilliseconds:
            guard let dot = text.firstIndex(of: UInt8(ascii: ".")) else { return false }
            let whole = text[..<dot]
            let fraction = text[(dot + 1)...]
            return !whole.isEmpty && whole.allSatisfy(Self.isDigit) && fraction.count == 3 && fraction.allSatisfy(Self.isDigit)
        case .connectionStatus:
            return text.count == 1 && Self.mayContain(.connectionStatus, text[text.startIndex])
        }
    }

    /// Whether `text` is something the escaper could have written: printable ASCII, every `"` and
    /// `\` escaped, every `\x` followed by two hex digits.
    private static func isEscapedText(_ text: ArraySlice<UInt8>) -> Bool {
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            guard (byte &- 0x20) < 0x5F, byte != UInt8(ascii: "\"") else { return false }
            guard byte == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            guard index + 1 < text.endIndex else { return false }
            switch text[index + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                index += 2
            case UInt8(ascii: "x"):
                guard index + 3 < text.endIndex, Self.hexValue(text[index + 2]) != nil, Self.hexValue(text[index + 3]) != nil else {
                    return false
                }
                index += 4
            default:
                return false
            }
        }
        return true
    }

    private static func isCommonLogTime(_ text: ArraySlice<UInt8>) -> Bool {
        // DD/Mon/YYYY:HH:MM:SS +0000 — digits where the template has 9, the rest must be equal.
        let template = Array("99/Mmm/9999:99:99:99 +0000".utf8)
        guard text.count == template.count else { return false }
        for (byte, expected) in zip(text, template) {
            switch expected {
            case UInt8(ascii: "9"): guard Self.isDigit(byte) else { return false }
            case UInt8(ascii: "M"): guard (byte &- UInt8(ascii: "A")) < 26 else { return false }
            case UInt8(ascii: "m"): guard (byte &- UInt8(ascii: "a")) < 26 else { return false }
            default: guard byte == expected else { return false }
            }
        }
        return true
    }

    /// Undoes the log escaping; text that was never escaped comes back unchanged.
    static func unescape(_ text: ArraySlice<UInt8>) -> String {
        guard text.contains(UInt8(ascii: "\\")) else { return String(decoding: text, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "\\"), index + 1 < text.endIndex {
                let next = text[index + 1]
                if next == UInt8(ascii: "x"), index + 3 < text.endIndex,
                    let high = Self.hexValue(text[index + 2]), let low = Self.hexValue(text[index + 3])
                {
                    bytes.append(high << 4 | low)
                    index += 4
                    continue
                }
                if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") {
                    bytes.append(next)
                    index += 2
                    continue
                }
            }
            bytes.append(byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (byte &- UInt8(ascii: "0")) < 10
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension AccessLogFormat {
    /// Parses a line this format produced back into named fields.
    ///
    /// Lossless for every atom with a textual inverse: escaped values come back byte for byte
    /// (``AccessLogField/value``). A trailing `\n` or `\r\n` is ignored.
    /// - Parameter line: One log line.
    /// - Returns: The fields, one per atom, in format order.
    /// - Throws: ``AccessLogLineMismatch`` when the format could not have produced the line.
    public func parse(_ line: String) throws(AccessLogLineMismatch) -> AccessLogParsedLine {
        var bytes = Array(line.utf8)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        var parser = AccessLogLineParser(format: self, line: bytes)
        return try parser.parse()
    }
}
