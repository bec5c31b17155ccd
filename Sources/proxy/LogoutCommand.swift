import ArgumentParser
import Proxy

/// `proxy logout PROVIDER`: forget a subscription login.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logout",
        abstract: "Remove a subscription login from the auth file.",
        discussion: "PROVIDER is codex, gemini, antigravity or claude-code. Exit status 0 also when it was not "
            + "logged in (said so).")

    @Argument(help: "codex, gemini, antigravity or claude-code.")
    var provider: String

    @Option(help: ArgumentHelp("The auth file (default: ~/.config/switchboard/auth.json).", valueName: "path"))
    var authFile: String?

    func validate() throws {
        guard SubscriptionProvider(rawValue: provider) != nil else {
            throw ValidationError(
                "unknown provider `\(provider)`; use one of "
                    + SubscriptionProvider.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        let chosen = SubscriptionProvider(rawValue: provider)!
        let logins = SubscriptionLogins(store: AuthStore(path: authFile ?? AuthStore.defaultPath()))
        do {
            let removed = try logins.logout(chosen)
            print(removed ? "Logged out of \(chosen.displayName)." : "Not logged in to \(chosen.displayName).")
        } catch let refusal as SubscriptionLogins.Refusal {
            Terminal.fail(refusal.description, code: 1)
        }
    }
}
