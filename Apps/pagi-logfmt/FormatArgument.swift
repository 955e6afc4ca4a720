import ArgumentParser
import PAGIAccessLog

/// The FORMAT argument every format-taking subcommand shares.
struct FormatArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("A preset name (clf, combined, common, tiny) or a format string.", valueName: "format"))
    var format: String

    /// Compiles the format, or prints the error with a caret under its column and fails with status 1.
    func compile() throws -> AccessLogFormat {
        do {
            return try AccessLogFormat(self.format)
        } catch {
            Standard.error("error: \(error)")
            Standard.error("  " + self.format)
            Standard.error("  " + String(repeating: " ", count: max(error.column - 1, 0)) + "^")
            throw ExitCode.failure
        }
    }
}
