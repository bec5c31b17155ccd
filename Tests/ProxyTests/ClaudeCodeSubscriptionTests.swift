import Foundation
import TestSupport
import Testing
import Wire

@testable import Proxy

/// A Claude Code login (`proxy login --claude-code`) serves the
/// `claude-code/...` models through an Anthropic backend that, like the
/// real one for a subscription token, takes it only as a bearer token with
/// the OAuth and Claude Code betas, Claude Code's headers and its system
/// prompt first.
@Suite struct ClaudeCodeSubscriptionTests {
    private static let token = "sk-ant-oat01-subscription-secret"

    private static func withLogin<T>(_ body: (AuthStore) async throws -> T) async throws -> T {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("cc-login-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        _ = try SubscriptionLogins(store: store).loginClaudeCode(token: token)
        return try await body(store)
    }

    /// What the backend checks; nil when it would accept the request.
    private static func rejection(_ request: StubHTTPServer.ReceivedRequest) -> String? {
        guard request.header("authorization") == "Bearer \(token)" else { return "no bearer token" }
        guard request.header("x-api-key") == nil else { return "x-api-key beside a bearer token" }
        let betas = (request.header("anthropic-beta") ?? "").split(separator: ",").map(String.init)
        for beta in ["oauth-2025-04-20", "claude-code-20250219"] where !betas.contains(beta) {
            return "anthropic-beta lacks \(beta)"
        }
        guard request.header("x-app") == "cli", request.header("user-agent")?.hasPrefix("claude-cli/") == true else {
            return "not Claude Code's headers"
        }
        guard let body = try? JSONValue(parsing: request.body),
            body["system"]?[0]?["text"]?.stringValue == "You are Claude Code, Anthropic's official CLI for Claude."
        else { return "the system prompt does not start as Claude Code's" }
        return nil
    }

    /// A config needs one entry; this one is not asked for.
    private static func unrelatedEntry(_ stubBase: String) -> String {
        "models:\n  - {model_id: other, model_name: o, api_base: \"\(stubBase)/v1\", format: openai}\n"
    }

    @Test func aLoggedInModelGoesToTheBackendAsItRequires() async throws {
        try await Self.withLogin { store in
            try await ProxyHarness.run(
                configYAML: Self.unrelatedEntry, logins: store
            ) { proxy in
                proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
                var request = ProxyHarness.messages(model: "claude-code/claude-sonnet-4-5")
                request["system"] = "Be brief."
                let reply = try await proxy.post(json: request)
                #expect(reply.status == 200, "\(reply.text)")
                let sent = try #require(proxy.stub.requests.last)
                #expect(Self.rejection(sent) == nil, "\(Self.rejection(sent) ?? "")")
                #expect(sent.path == "/v1/messages")
                let body = try JSONValue(parsing: sent.body)
                #expect(body["model"]?.stringValue == "claude-sonnet-4-5")
                #expect(body["system"]?[1]?["text"]?.stringValue == "Be brief.")

                // Claude Code's own request already starts so: not doubled.
                var claudeCode = ProxyHarness.messages(model: "claude-code/claude-haiku-4-5")
                claudeCode["system"] = [
                    ["type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude."]
                ]
                #expect(try await proxy.post(json: claudeCode).status == 200)
                let second = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
                #expect(second["system"]?.arrayValue?.count == 1)

                let models = try await proxy.send(.GET, "/v1/models")
                #expect(models.text.contains(#""id":"claude-code/claude-opus-4-5""#))
            }
        }
    }

    @Test func providerEntriesWithoutALoginOrSupportSayWhatToDo() async throws {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("cc-none-\(UUID().uuidString)")
        let yaml = """
            models:
              - model_id: mine
                provider: claude-code
                model_name: claude-sonnet-4-5
              - model_id: google
                provider: antigravity
                model_name: gemini-3-pro-preview
              - model_id: elsewhere
                provider: not-a-plan
                model_name: m
            """
        try await ProxyHarness.run(configYAML: { _ in yaml }, logins: AuthStore(path: directory + "/auth.json")) {
            proxy in
            let mine = try await proxy.post(json: ProxyHarness.messages(model: "mine"))
            #expect(mine.status == 401)
            #expect(mine.errorType == "authentication_error")
            #expect(mine.errorMessage?.contains("`proxy login --claude-code`") == true, "\(mine.text)")
            let google = try await proxy.post(json: ProxyHarness.messages(model: "google"))
            #expect(google.status == 401)
            #expect(
                google.errorMessage?.contains("`proxy login --antigravity`") == true, "\(google.text)")
            let unknown = try await proxy.post(json: ProxyHarness.messages(model: "elsewhere"))
            #expect(unknown.status == 501)
            #expect(
                unknown.errorMessage?.contains("not a subscription this build knows") == true,
                "\(unknown.text)")
            // No built-in models without a login.
            let models = try await proxy.send(.GET, "/v1/models")
            #expect(!models.text.contains("claude-code/"))
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    @Test func aConfigEntryForTheProviderKeepsItsFieldsAndUsesTheLogin() async throws {
        try await Self.withLogin { store in
            let yaml = """
                models:
                  - model_id: claude-code/claude-sonnet-4-5
                    provider: claude-code
                    model_name: claude-sonnet-4-5-20250929
                    max_tokens: 1000
                """
            try await ProxyHarness.run(configYAML: { _ in yaml }, logins: store) { proxy in
                proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
                var request = ProxyHarness.messages(model: "claude-code/claude-sonnet-4-5")
                request["max_tokens"] = 64000
                #expect(try await proxy.post(json: request).status == 200)
                let sent = try #require(proxy.stub.requests.last)
                #expect(Self.rejection(sent) == nil, "\(Self.rejection(sent) ?? "")")
                let body = try JSONValue(parsing: sent.body)
                #expect(body["model"]?.stringValue == "claude-sonnet-4-5-20250929")
                #expect(body["max_tokens"]?.intValue == 1000)
            }
        }
    }
}
