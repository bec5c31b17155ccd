import ArgumentParser
import Proxy

/// `proxy providers`: the subscription plans and their logins.
struct ProvidersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "List the subscription providers: logged in or not, the account, token expiry and models.",
        discussion: "Tokens are never shown. `proxy login --PROVIDER` logs in; `proxy logout PROVIDER` logs out.")

    @Option(help: ArgumentHelp("The auth file (default: ~/.config/switchboard/auth.json).", valueName: "path"))
    var authFile: String?

    func run() throws {
        let logins = SubscriptionLogins(store: AuthStore(path: authFile ?? AuthStore.defaultPath()))
        do {
            print(try logins.report())
        } catch let refusal as SubscriptionLogins.Refusal {
            Terminal.fail(refusal.description, code: 1)
        }
    }
}
