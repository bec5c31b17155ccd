import Convert
import TestSupport
import Testing
import Wire

@testable import Proxy

/// A route's `extra_headers` (README: "sent upstream on every request;
/// values may use `${ENV_VAR}`") reach the upstream, for converted and
/// passed-through formats, streamed or not.
@Suite struct ExtraHeadersTests {
    private static let environment = ["TEAM_TOKEN": "team-7d41"]

    private static func config(stubBase: String) -> String {
        """
        models:
          - model_id: gpt
            model_name: upstream-gpt
            api_base: \(stubBase)/v1
            format: openai
            extra_headers: {X-Title: switchboard, X-Team: "${TEAM_TOKEN}"}
          - model_id: claude
            model_name: upstream-claude
            api_base: \(stubBase)
            format: anthropic
            extra_headers: {X-Title: switchboard-anthropic, X-Team: "${TEAM_TOKEN}"}
        """
    }

    @Test func everyUpstreamRequestCarriesTheRoutesExtraHeaders() async throws {
        try await ProxyHarness.run(configYAML: Self.config, environment: Self.environment) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let plain = try await proxy.post(json: ProxyHarness.messages(model: "gpt"))
            #expect(plain.status == 200)
            proxy.stub.reply = .eventStream(UpstreamBodies.openAIStream)
            let streamed = try await proxy.post(json: ProxyHarness.messages(model: "gpt", stream: true))
            #expect(streamed.status == 200)
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let anthropic = try await proxy.post(json: ProxyHarness.messages(model: "claude"))
            #expect(anthropic.status == 200)
            proxy.stub.reply = .json(200, #"{"input_tokens":7}"#)
            let count = try await proxy.post(
                "/v1/messages/count_tokens",
                json: ["model": "claude", "messages": [["role": "user", "content": "hi"]]])
            #expect(count.status == 200, "\(count.text)")

            let requests = proxy.stub.requests
            try #require(requests.count == 4, "\(requests.map(\.path))")
            for request in requests.prefix(2) {
                #expect(request.path.hasSuffix("/chat/completions"), "\(request.path)")
                #expect(request.header("x-title") == "switchboard")
                #expect(request.header("x-team") == "team-7d41")
            }
            for request in requests.suffix(2) {
                #expect(request.header("x-title") == "switchboard-anthropic", "\(request.path)")
                #expect(request.header("x-team") == "team-7d41", "\(request.path)")
            }
            #expect(requests.last?.path.hasSuffix("/count_tokens") == true)
        }
    }

    /// A value that would split the request's head (a token read from a file
    /// with its line feed) is never sent: the client gets a 502 naming the
    /// header, not its value, and the proxy goes on serving.
    @Test func aValueWithALineBreakIsRefusedNamingTheHeaderOnly() async throws {
        let environment = ["TEAM_TOKEN": "team-7d41\r\nX-Injected: 1"]
        try await ProxyHarness.run(configYAML: Self.config, environment: environment) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let refused = try await proxy.post(json: ProxyHarness.messages(model: "claude"))
            #expect(refused.status == 502, "\(refused.text)")
            #expect(
                refused.errorMessage?.contains("header `X-Team` has a control character") == true, "\(refused.text)")
            #expect(!refused.text.contains("team-7d41") && !refused.text.contains("Injected"), "\(refused.text)")
            #expect(proxy.stub.requests.isEmpty)
        }
    }
}

/// The route line says a route sets headers itself, never which.
@Suite struct ConfiguredHeadersRouteOptionTests {
    @Test func extraHeadersOrHeaderRulesAreNoted() throws {
        let config = try ProxyConfig.parse(
            yaml: """
                models:
                  - model_id: plain
                    model_name: m
                    api_base: http://127.0.0.1:1/v1
                    format: openai
                  - model_id: extra
                    model_name: m
                    api_base: http://127.0.0.1:1/v1
                    format: openai
                    extra_headers: {api-key: secret-value}
                """, file: "headers.yaml")
        let plain = config.models[0].routeOptions(requestedModel: "plain")
        let extra = config.models[1].routeOptions(requestedModel: "extra")
        #expect(plain.configuredHeaders == nil)
        #expect(extra.configuredHeaders == true)
        #expect(extra.json["configured_headers"] == true)
        #expect(!extra.json.serializedString().contains("secret-value"))
    }
}
