import ArgumentParser
import Foundation
import Proxy

/// `proxy config import-tizee`: takes over tizee/anthropic-proxy's routes,
/// logins and settings.
struct ConfigImportTizeeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-tizee",
        abstract: "Import tizee/anthropic-proxy's models.yaml and logins, and say what its config.json becomes.",
        discussion: """
            Reads tizee/anthropic-proxy's directory: --from DIR, else ~/.config/anthropic-proxy (with the \
            routes file CUSTOM_MODELS_FILE names, when that is set, as tizee reads it).

            models.yaml is copied to the config `proxy serve` reads (or --config PATH), under a comment saying \
            where it came from, with mode 0600 since a route may hold a key; its layout loads as it is. It is \
            then checked, and its openai-format routes named: tizee's filter_tools plugin took WebSearch, \
            NotebookEdit and NotebookRead out of their requests, which here takes a drop_tools rule.

            auth.json: its Codex (`openai`), Gemini (`google`), Antigravity and Claude Code logins are stored \
            as `proxy login` stores them (auth.json, mode 0600, in a 0700 directory), with their expiry; the \
            proxy refreshes them as they lapse, so there is no logging in again.

            config.json: host, port and log_level are printed as `proxy serve` options; log_file_path, and the \
            names (never the values) of its env variables, are said with what to do instead.

            An existing config or login of this proxy's is left alone, and said so, unless --force is given. \
            What has no counterpart is said. No token or key is printed. Exit status 1 when something could \
            not be read or written.
            """)

    @Option(
        help: ArgumentHelp("tizee/anthropic-proxy's directory (default: ~/.config/anthropic-proxy).", valueName: "dir"))
    var from: String?

    @OptionGroup var file: ConfigFileOption

    @Option(help: ArgumentHelp("The auth file (default: ~/.config/switchboard/auth.json).", valueName: "path"))
    var authFile: String?

    @Flag(help: "Replace an existing config and existing logins.")
    var force = false

    func run() {
        let source = from.map { TizeeDirectory(path: ($0 as NSString).expandingTildeInPath) } ?? .standard()
        let report = TizeeImport(
            source: source, configPath: file.path, store: AuthStore(path: authFile ?? AuthStore.defaultPath()),
            force: force
        ).run()
        Terminal.print(report.lines.joined(separator: "\n"))
        if report.failed { Foundation.exit(1) }
    }
}
