import ArgumentParser
import Foundation
import Proxy

/// `proxy login --claude-code`: store a subscription login.
struct LoginCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a subscription plan, to route models to it.",
        discussion: """
            --claude-code: run `claude setup-token` (Claude Code's own command, with a Claude Pro or Max plan), \
            then paste the token it prints when asked (it is not echoed), or pipe it: \
            `claude setup-token | proxy login --claude-code`. The token is checked for its shape and stored in \
            $XDG_CONFIG_HOME/switchboard/auth.json (~/.config/switchboard/auth.json), mode 0600; it is never \
            printed or logged. `proxy providers` shows what is logged in; `proxy logout claude-code` removes it.

            --codex, --gemini and --antigravity (OAuth logins) are not supported yet.
            """)

    @Flag(help: "Which plan to log in to.")
    var provider: ProviderFlag

    @Option(help: ArgumentHelp("The auth file (default: ~/.config/switchboard/auth.json).", valueName: "path"))
    var authFile: String?

    enum ProviderFlag: String, EnumerableFlag {
        case codex, gemini, antigravity
        case claudeCode = "claude-code"

        static func name(for value: ProviderFlag) -> NameSpecification { .customLong(value.rawValue) }
    }

    func run() throws {
        let logins = SubscriptionLogins(store: AuthStore(path: authFile ?? AuthStore.defaultPath()))
        let chosen = SubscriptionProvider(rawValue: provider.rawValue)!
        do {
            try logins.checkSupported(chosen)
            let token = readToken()
            _ = try logins.loginClaudeCode(token: token)
            print(
                "Logged in to \(chosen.displayName); its models: "
                    + chosen.builtInModels.map { "\(chosen.rawValue)/\($0)" }.joined(separator: ", "))
        } catch let refusal as SubscriptionLogins.Refusal {
            Terminal.fail(refusal.description, code: 1)
        }
    }

    /// The pasted token: without echo at a terminal, else standard input's
    /// first line.
    private func readToken() -> String {
        if isatty(STDIN_FILENO) != 0 {
            FileHandle.standardError.write(Data("Run `claude setup-token`, then paste the token here: ".utf8))
            guard let pointer = getpass("") else { return "" }
            return String(cString: pointer)
        }
        return readLine() ?? ""
    }
}
