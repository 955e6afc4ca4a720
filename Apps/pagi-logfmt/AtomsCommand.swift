import ArgumentParser
import PAGIAccessLog

struct AtomsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atoms",
        abstract: "List the format atoms, their field names and what they print."
    )

    func run() {
        let rows = AccessLogAtom.catalogue.map { [$0.syntax, $0.fieldName, $0.summary] }
        let literal = [["%%", "", "a literal %"]]
        Standard.output(TextTable(header: ["ATOM", "FIELD", "PRINTS"], rows: rows + literal).rendered)
    }
}

struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the named formats (the default is marked with *)."
    )

    func run() {
        let rows = AccessLogPreset.allCases.map { preset in
            [preset.rawValue + (preset == .default ? " *" : ""), preset.format, preset.summary]
        }
        Standard.output(TextTable(header: ["PRESET", "FORMAT", "DESCRIPTION"], rows: rows).rendered)
    }
}

/// Left-aligned columns separated by two spaces.
struct TextTable {
    var header: [String]
    var rows: [[String]]

    var rendered: String {
        let all = [self.header] + self.rows
        let widths = self.header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
