import ArgumentParser
import Proxy

/// `proxy config check`: validates a config and prints its routing table.
struct ConfigCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a config and print its routing table.",
        discussion: """
            Reads FILE (else --config PATH, else the file `proxy serve` reads) as `proxy serve` would, ${ENV} \
            references included. On success prints each entry (format, upstream model, API base, whose key, \
            output cap, context window, streaming), the aliases in the order they are tried, each entry's rules, \
            and what any \
            other model name gets; exit 0. Warnings (unknown fields, which are ignored) go to stderr as \
            FILE:LINE:COLUMN: warning: .... On an error prints FILE:LINE:COLUMN: problem. What to do. and \
            exits 78.
            """)

    @Argument(help: ArgumentHelp("The config to check.", valueName: "file"))
    var configFile: String?

    @OptionGroup var file: ConfigFileOption

    func run() {
        let config = file.load(path: configFile)
        Terminal.print(RoutingTable(config: config).render())
    }
}
