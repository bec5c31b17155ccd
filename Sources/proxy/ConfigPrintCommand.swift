import ArgumentParser
import Proxy

/// `proxy config print`: the effective config.
struct ConfigPrintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "print",
        abstract: "Print the effective config: defaults filled in, ${ENV} values resolved, keys redacted.",
        discussion: """
            Every field of every entry is shown, with its default when the file leaves it out (timeout 10m, \
            can_stream true...), and ${ENV_VAR} references replaced by their values. Keys (api_key, and \
            secret headers in extra_headers) are shown as [redacted:<first 8 hex of their SHA-256>], the \
            fingerprint cassettes show, so a key in a recording can be matched to its route. The output is \
            YAML that `proxy serve --config` reads back.

            The entries printed are the file's: those a subscription login adds when the file is loaded \
            (codex/..., claude-code/...) are named in a comment, so a saved copy does not outlive the login. A \
            login's token is never printed, with --show-api-keys either.

            A config with errors exits 78 with FILE:LINE:COLUMN: problem. What to do.
            """)

    @OptionGroup var file: ConfigFileOption

    @Flag(help: "Show keys as they are instead of their fingerprint.")
    var showAPIKeys = false

    func run() {
        let config = file.load(logins: false)
        let logins: [String: ProviderCredentials]
        do {
            logins = try AuthStore(path: AuthStore.defaultPath()).load()
        } catch {
            // An auth file that cannot be read adds no entries, as `serve`
            // says too; the config is printed all the same. The reason
            // names the file and its mode or parse error, never a token.
            Terminal.printWarning("\(error); the entries its logins would add are not named below")
            logins = [:]
        }
        Terminal.print(
            EffectiveConfigPrinter(showAPIKeys: showAPIKeys).render(
                config, logins: SubscriptionProvider.allCases.filter { logins[$0.rawValue] != nil }))
    }
}
