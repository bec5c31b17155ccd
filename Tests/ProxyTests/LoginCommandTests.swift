import Foundation
import TestSupport
import Testing

@testable import Proxy

/// `proxy login --codex`, the built executable, end to end: it prints the
/// address to log in at, a scripted browser step logs in there and follows
/// the provider's redirect to the command's callback server, and the
/// command stores the login and says so, without ever printing a token.
@Suite struct LoginCommandTests {
    @Test func codexLoginEndToEndWithAScriptedBrowser() async throws {
        let home = try ExecutableScratch.directory("sb-login")
        defer { try? FileManager.default.removeItem(at: home) }
        let provider = StubOAuthProvider()
        try await StubHTTPServer.withRunning { stub in
            stub.replyFor = { provider.reply($0) ?? .json(404, #"{"error":"not_found"}"#) }
            var environment = ExecutableScratch.environment(home: home)
            environment["SWITCHBOARD_CODEX_AUTH_BASE"] = stub.baseURL
            environment["SWITCHBOARD_CODEX_REDIRECT_URI"] = "http://localhost:0/auth/callback"
            let authFile = home.appendingPathComponent("auth.json").path
            let child = try ChildProcess(
                try ChildProcess.builtExecutable("proxy"),
                arguments: ["login", "--codex", "--no-browser", "--auth-file", authFile], environment: environment)
            defer { child.killIfRunning() }
            let line = try #require(await child.outputLine(startingWith: "  \(stub.baseURL)/oauth/authorize?"))
            let visit = try await ScriptedBrowser.open(line.trimmingCharacters(in: .whitespaces))
            #expect(visit.callbackStatus == 200)
            #expect(await child.waitForEnding() == .exited(0), "\(child.standardError)")
            #expect(provider.rejections == [])
            #expect(
                child.standardOutput.contains(
                    "Logged in to Codex (ChatGPT plan) (account \(StubOAuthProvider.account))."))
            #expect(child.standardOutput.contains("codex/gpt-5.2-codex"))
            let stored = try #require(try AuthStore(path: authFile).credentials(for: .codex))
            #expect(stored.accessToken == provider.state.withLock { $0.accessTokens.last })
            for token in provider.issuedTokens {
                #expect(!child.standardOutput.contains(token) && !child.standardError.contains(token))
            }
        }
    }

    /// `proxy login --gemini`: Google's login the same way, then the
    /// project, onboarded to the free tier (the account has none yet).
    @Test func geminiLoginEndToEndOnboardsAndStoresTheProject() async throws {
        let home = try ExecutableScratch.directory("sb-login-gemini")
        defer { try? FileManager.default.removeItem(at: home) }
        let provider = StubOAuthProvider(profile: .google)
        let backend = try StubCodeAssistBackend(provider: provider, project: nil, onboardingAsks: 0)
        try await StubHTTPServer.withRunning { stub in
            stub.replyFor = { provider.reply($0) ?? backend.reply($0) ?? .json(404, #"{"error":"not_found"}"#) }
            var environment = ExecutableScratch.environment(home: home)
            environment["SWITCHBOARD_GEMINI_AUTH_BASE"] = stub.baseURL
            environment["SWITCHBOARD_GEMINI_API_BASE"] = stub.baseURL
            environment["SWITCHBOARD_GEMINI_REDIRECT_URI"] = "http://localhost:0/oauth2callback"
            let authFile = home.appendingPathComponent("auth.json").path
            let child = try ChildProcess(
                try ChildProcess.builtExecutable("proxy"),
                arguments: ["login", "--gemini", "--no-browser", "--auth-file", authFile], environment: environment)
            defer { child.killIfRunning() }
            let line = try #require(await child.outputLine(startingWith: "  \(stub.baseURL)/o/oauth2/v2/auth?"))
            let visit = try await ScriptedBrowser.open(line.trimmingCharacters(in: .whitespaces))
            #expect(visit.callbackStatus == 200)
            #expect(await child.waitForEnding() == .exited(0), "\(child.standardError)")
            #expect(provider.rejections == [])
            #expect(backend.rejections == [])
            #expect(child.standardOutput.contains("Project: \(StubCodeAssistBackend.onboardedProject)"))
            #expect(child.standardOutput.contains("(account \(StubOAuthProvider.email))"))
            #expect(child.standardOutput.contains("gemini/gemini-2.5-pro"))
            let stored = try #require(try AuthStore(path: authFile).credentials(for: .gemini))
            #expect(stored.project == StubCodeAssistBackend.onboardedProject)
            for token in provider.issuedTokens {
                #expect(!child.standardOutput.contains(token) && !child.standardError.contains(token))
            }
        }
    }
}
