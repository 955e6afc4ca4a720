import ArgumentParser
import Foundation
import PAGIAccessLog

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Turn log lines into JSON Lines of named fields.",
        discussion: """
            Reads FILE (or standard input) and prints one JSON object per matching line, keys as \
            listed by `pagi-logfmt atoms` (a repeated atom gets #2, #3…), values as strings with the \
            log escaping undone. Lines that do not match are reported on stderr as \
            'line N: …' and the exit status is 1; matching lines are still printed.
            """
    )

    @OptionGroup var format: FormatArgument

    @Argument(help: ArgumentHelp("The log file to read; standard input if omitted.", valueName: "file"))
    var file: String?

    func run() throws {
        let format = try self.format.compile()
        let data: Data
        do {
            if let file = self.file {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
        } catch {
            Standard.error("error: cannot read '\(self.file ?? "-")': \(error.localizedDescription)")
            throw ExitCode.failure
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var mismatches = 0
        var output = ""
        for (index, line) in lines.enumerated() {
            do {
                let parsed = try format.parse(String(decoding: line, as: UTF8.self))
                output += JSONLine.object(parsed.fields.map { ($0.name, $0.value) }) + "\n"
            } catch {
                mismatches += 1
                Standard.error("line \(index + 1): \(error)")
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        if mismatches > 0 {
            Standard.error("error: \(mismatches) of \(lines.count) lines did not match the format")
            throw ExitCode.failure
        }
    }
}

/// Minimal JSON object writer for string-valued fields.
enum JSONLine {
    static func object(_ fields: [(String, String)]) -> String {
        var seen: [String: Int] = [:]
        let members = fields.map { name, value in
            let count = (seen[name] ?? 0) + 1
            seen[name] = count
            return self.string(count == 1 ? name : "\(name)#\(count)") + ":" + self.string(value)
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
