import ArgumentParser
import Foundation
import Proxy
import Subprocess
import SystemPackage

/// `proxy login --codex | --gemini | --antigravity | --claude-code`: store a
/// subscription login.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Log in to a subscription plan, to route models to it.",
        discussion: """
            --codex (a ChatGPT plan): an OAuth login, as the Codex CLI does it. The proxy listens on \
            http://localhost:1455/auth/callback (the address OpenAI sends the browser back to), prints the address \
            to log in at and opens a browser when there is one (--no-browser: only prints it). On a machine without \
            a browser, open the address elsewhere, log in, and paste here the address the browser was sent back to \
            (it fails to load there; copy it from the address bar). The tokens are refreshed by the proxy as they \
            expire. SWITCHBOARD_CODEX_AUTH_BASE (default https://auth.openai.com) and \
            SWITCHBOARD_CODEX_REDIRECT_URI point the login elsewhere (tests, gateways).

            --gemini (a Google account's Gemini Code Assist quota, free tier included): an OAuth login as the \
            Gemini CLI does it, on http://localhost:8085/oauth2callback, the same way as --codex. Then the Google \
            Cloud project Code Assist bills is found (loadCodeAssist) or, for an account without one, made by \
            onboarding to the free tier (onboardUser), and stored with the login. SWITCHBOARD_GEMINI_AUTH_BASE \
            (replacing https://accounts.google.com and https://oauth2.googleapis.com), \
            SWITCHBOARD_GEMINI_REDIRECT_URI and SWITCHBOARD_GEMINI_API_BASE (default \
            https://cloudcode-pa.googleapis.com, also where requests go) point it elsewhere.

            --antigravity (a Google account's Antigravity quota: Gemini 3 and Claude models): an OAuth login as \
            the Antigravity IDE does it, on http://localhost:51121/oauth-callback, the same way as --codex, then \
            the project found or onboarded as for --gemini. SWITCHBOARD_ANTIGRAVITY_AUTH_BASE, \
            SWITCHBOARD_ANTIGRAVITY_REDIRECT_URI and SWITCHBOARD_ANTIGRAVITY_API_BASE (default \
            https://cloudcode-pa.googleapis.com) point it elsewhere.

            --claude-code: run `claude setup-token` (Claude Code's own command, with a Claude Pro or Max plan), \
            then paste the token it prints when asked (it is not echoed), or pipe it: \
            `claude setup-token | proxy login --claude-code`. The token is checked for its shape.

            Logins are stored in $XDG_CONFIG_HOME/switchboard/auth.json (~/.config/switchboard/auth.json), mode \
            0600; tokens are never printed or logged. A running proxy takes up a login or logout within a \
            second (it watches the file). `proxy providers` shows what is logged in; `proxy logout \
            PROVIDER` removes a login.

            Once logged in, codex/gpt-5.2-codex etc. are served by the Codex backend \
            (SWITCHBOARD_CODEX_API_BASE, default https://chatgpt.com/backend-api, points it elsewhere), \
            gemini/gemini-2.5-pro etc. by Gemini Code Assist, and antigravity/claude-sonnet-4-5, \
            antigravity/gemini-3-pro-preview etc. by Antigravity.
            """)

    /// Optional to ArgumentParser, required by ``validate()``: a required
    /// flag group's error read "Help: --codex <codex>", as if it took a value.
    @Flag(help: "Which plan to log in to (one of them).")
    var provider: ProviderFlag?

    @Flag(help: "OAuth logins: print the address to log in at, do not open a browser.")
    var noBrowser = false

    @Option(help: ArgumentHelp("The auth file (default: ~/.config/switchboard/auth.json).", valueName: "path"))
    var authFile: String?

    enum ProviderFlag: String, EnumerableFlag {
        case codex, gemini, antigravity
        case claudeCode = "claude-code"

        static func name(for value: ProviderFlag) -> NameSpecification { .customLong(value.rawValue) }
    }

    func validate() throws {
        guard provider != nil else {
            throw ValidationError("Say which plan to log in to: --claude-code, --codex, --gemini or --antigravity.")
        }
    }

    func run() async throws {
        let store = AuthStore(path: authFile ?? AuthStore.defaultPath())
        let logins = SubscriptionLogins(store: store)
        guard let provider, let chosen = SubscriptionProvider(rawValue: provider.rawValue) else { return }
        do {
            if let settings = OAuthProviderSettings.of(chosen) {
                let openBrowser = !noBrowser
                var login = try await OAuthLogin(settings: settings, store: store).run(
                    present: { prompt in Self.present(prompt, provider: chosen, openBrowser: openBrowser) },
                    pastedLines: Self.standardInputLines())
                if chosen.usesCodeAssist {
                    print("Finding the Google Cloud project the login bills ...")
                    do {
                        login = try await logins.resolveProject(of: chosen, for: login)
                    } catch {
                        // Kept, a login with no project looked logged in
                        // (`proxy providers`) and refused every request.
                        _ = try? store.remove(chosen)
                        Terminal.fail(
                            "\(error)\nThe login was not kept: \(chosen.displayName) serves nothing without a project. "
                                + "Run `proxy login --\(chosen.rawValue)` again.", code: 1)
                    }
                    print("Project: \(login.project ?? "")")
                }
                print("Logged in to \(chosen.displayName)" + (login.account.map { " (account \($0))" } ?? "") + ".")
            } else {
                _ = try logins.loginClaudeCode(token: readToken())
                print("Logged in to \(chosen.displayName).")
            }
            print("Its models: " + chosen.builtInModels.map { "\(chosen.rawValue)/\($0)" }.joined(separator: ", "))
        } catch let refusal as SubscriptionLogins.Refusal {
            Terminal.fail(refusal.description, code: 1)
        }
    }

    /// Prints where to log in, and opens it in a browser when asked and one
    /// is at hand.
    private static func present(_ prompt: OAuthLogin.Prompt, provider: SubscriptionProvider, openBrowser: Bool) {
        let opened = openBrowser && Self.openBrowser(prompt.authorizationURL)
        // Written at once, unbuffered: the user (or a script) reads it while
        // the login waits.
        let text =
            """
            Log in to \(provider.displayName) at:

              \(prompt.authorizationURL)

            \(opened ? "A browser was opened there. " : "")Waiting for the login to come back to \
            \(prompt.redirectURI) ...
            (Logging in on another machine? Paste here the address the browser was sent back to, then Enter.)

            """
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Starts the desktop's opener; false when there is no display to open a
    /// browser on, or no opener. The opener is awaited (and reaped) on a task
    /// of its own; if it cannot start, that is said on standard error and the
    /// printed address still works.
    ///
    /// swift-subprocess, not Foundation's `Process`, whose `run()` in Swift
    /// 6.3.1 can crash listing /proc/self/fd (swift-corelibs-foundation#5472).
    private static func openBrowser(_ url: String) -> Bool {
        #if os(macOS)
        let opener = "/usr/bin/open"
        #else
        let environment = ProcessInfo.processInfo.environment
        guard environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil else { return false }
        guard
            let opener = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map({ "\($0)/xdg-open" })
                .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return false }
        #endif
        Task.detached {
            do {
                _ = try await Subprocess.run(
                    .path(FilePath(opener)), arguments: [url], input: .none, output: .discarded, error: .discarded)
            } catch {
                FileHandle.standardError.write(Data("cannot start \(opener): \(error)\n".utf8))
            }
        }
        return true
    }

    /// Standard input's lines, read on a thread of their own (a read
    /// blocks), for a pasted redirect address.
    private static func standardInputLines() -> AsyncStream<String> {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        Thread.detachNewThread {
            while let line = readLine() { continuation.yield(line) }
            continuation.finish()
        }
        return lines
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
