import Foundation
import TestSupport
import Testing

@testable import Proxy

/// `proxy login --codex | --gemini | --antigravity`, the built executable,
/// end to end: it prints the address to log in at, a scripted browser step
/// logs in there and follows the provider's redirect to the command's
/// callback server, and the command stores the login (and, for Google's
/// backends, the project) and says so, without ever printing a token.
@Suite struct LoginCommandTests {
    /// What one run of `proxy login --PROVIDER` printed and stored.
    struct Outcome {
        let output: String
        let errors: String
        let stored: ProviderCredentials?
    }

    /// Runs `proxy login --PROVIDER --no-browser` against `oauth` (and
    /// `backend`, for the project) on a stub, with a scripted browser.
    static func logIn(
        _ subscription: SubscriptionProvider, oauth: StubOAuthProvider,
        backend: StubCodeAssistBackend? = nil, exitStatus: Int32 = 0
    ) async throws -> Outcome {
        let home = try ExecutableScratch.directory("sb-login-\(subscription.rawValue)")
        defer { try? FileManager.default.removeItem(at: home) }
        return try await StubHTTPServer.withRunning { stub in
            stub.replyFor = {
                oauth.reply($0) ?? backend?.reply($0) ?? .json(404, #"{"error":"not_found"}"#)
            }
            let name = subscription.environmentName
            var environment = ExecutableScratch.environment(home: home)
            environment["SWITCHBOARD_\(name)_AUTH_BASE"] = stub.baseURL
            environment["SWITCHBOARD_\(name)_API_BASE"] = stub.baseURL
            environment["SWITCHBOARD_\(name)_REDIRECT_URI"] =
                "http://localhost:0" + oauth.profile.callbackPath
            let authFile = home.appendingPathComponent("auth.json").path
            let child = try await ChildProcess(
                try ChildProcess.builtExecutable("proxy"),
                arguments: [
                    "login", "--\(subscription.rawValue)", "--no-browser", "--auth-file", authFile,
                ],
                environment: environment)
            defer { child.killIfRunning() }
            let line = try #require(
                await child.outputLine(startingWith: "  \(stub.baseURL)\(oauth.profile.authorizePath)?"))
            let visit = try await ScriptedBrowser.open(line.trimmingCharacters(in: .whitespaces))
            #expect(visit.callbackStatus == 200)
            #expect(await child.waitForEnding() == .exited(exitStatus), "\(child.standardError)")
            #expect(oauth.rejections == [])
            #expect(backend?.rejections ?? [] == [])
            for token in oauth.issuedTokens {
                #expect(!child.standardOutput.contains(token) && !child.standardError.contains(token))
            }
            let stored = try AuthStore(path: authFile).credentials(for: subscription)
            if exitStatus == 0 {
                #expect(stored?.accessToken == oauth.state.withLockedValue { $0.accessTokens.last })
            }
            return Outcome(output: child.standardOutput, errors: child.standardError, stored: stored)
        }
    }

    @Test func codexLoginEndToEndWithAScriptedBrowser() async throws {
        let outcome = try await Self.logIn(.codex, oauth: StubOAuthProvider())
        #expect(
            outcome.output.contains(
                "Logged in to Codex (ChatGPT plan) (account \(StubOAuthProvider.account))."))
        #expect(outcome.output.contains("codex/gpt-5.2-codex"))
    }

    /// `proxy login --gemini`: Google's login the same way, then the
    /// project, onboarded to the free tier (the account has none yet).
    @Test func geminiLoginEndToEndOnboardsAndStoresTheProject() async throws {
        let oauth = StubOAuthProvider(profile: .google)
        let backend = try StubCodeAssistBackend(provider: oauth, project: nil, onboardingAsks: 0)
        let outcome = try await Self.logIn(.gemini, oauth: oauth, backend: backend)
        #expect(outcome.output.contains("Project: \(StubCodeAssistBackend.onboardedProject)"))
        #expect(outcome.output.contains("(account \(StubOAuthProvider.email))"))
        #expect(outcome.output.contains("gemini/gemini-2.5-pro"))
        #expect(outcome.stored?.project == StubCodeAssistBackend.onboardedProject)
    }

    /// A Google login whose project cannot be found is not kept: stored, it
    /// looked logged in (`proxy providers`) and every request was refused.
    @Test func aGeminiLoginWithoutAProjectIsNotKept() async throws {
        let outcome = try await Self.logIn(.gemini, oauth: StubOAuthProvider(profile: .google), exitStatus: 1)
        #expect(outcome.stored == nil)
        #expect(outcome.errors.contains("loadCodeAssist"), "\(outcome.errors)")
        #expect(outcome.errors.contains("The login was not kept"), "\(outcome.errors)")
    }

    /// `proxy login --antigravity`: the Antigravity IDE's Google login,
    /// then the project the account already has, asked with the IDE's
    /// headers.
    @Test func antigravityLoginEndToEndStoresTheProject() async throws {
        let oauth = StubOAuthProvider(profile: .antigravity)
        let backend = try StubCodeAssistBackend(
            provider: oauth, project: "ag-existing-1", variant: .antigravity)
        let outcome = try await Self.logIn(.antigravity, oauth: oauth, backend: backend)
        #expect(outcome.output.contains("Project: ag-existing-1"))
        #expect(
            outcome.output.contains(
                "Logged in to Antigravity (Google account) (account \(StubOAuthProvider.email))."))
        #expect(outcome.output.contains("antigravity/claude-sonnet-4-5"))
        #expect(outcome.stored?.project == "ag-existing-1")
    }
}
