import ArgumentParser

/// `proxy config`: print, write and check models.yaml.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show, write, check or import the routes file (models.yaml).",
        discussion: """
            proxy config print            the effective config, keys redacted
            proxy config init [--force]   write the commented default config
            proxy config check [FILE]     validate a config and print its routing table
            proxy config import-tizee     take over tizee/anthropic-proxy's models.yaml and logins

            Each takes --config PATH; without it, the file `proxy serve` reads: \
            $XDG_CONFIG_HOME/switchboard/models.yaml, else ~/.config/switchboard/models.yaml.
            """,
        subcommands: [
            ConfigPrintCommand.self, ConfigInitCommand.self, ConfigCheckCommand.self, ConfigImportTizeeCommand.self,
        ])
}
