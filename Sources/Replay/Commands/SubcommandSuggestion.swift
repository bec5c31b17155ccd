import Foundation
import Wire

/// "Did you mean `verify`?" for a mistyped `log-replay` subcommand. The
/// subcommand is optional (`log-replay rec/` summarises), so `verfy rec/`
/// reads as two paths and failed with "verfy: no such file or directory",
/// and `sned rec/ --to URL` as an unknown `--to`, neither naming the slip.
public enum SubcommandSuggestion {
    /// The hint for `arguments` (the command line after the program name):
    /// when the first is neither an option, a subcommand nor an existing
    /// path, and is one edit (or two neighbours swapped) from one of
    /// `subcommands`, the message naming it; nil otherwise, for the
    /// arguments to be parsed as they are.
    public static func message(for arguments: [String], subcommands: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !subcommands.contains(first),
            !FileManager.default.fileExists(atPath: first),
            let meant = subcommands.first(where: { Spelling.looksAlike($0, first) })
        else { return nil }
        return "'\(first)' is neither a subcommand nor an existing path. Did you mean `\(meant)`?"
    }
}
