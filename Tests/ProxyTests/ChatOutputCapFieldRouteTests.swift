import Convert
import Foundation
import Testing
import Wire

@testable import Proxy

/// A route's `max_tokens_field`: the name a `format: openai` upstream gets
/// the output cap under. OpenAI's reasoning models (gpt-5, o3) answer 400
/// to `max_tokens`, so Claude Code routed to them failed on every request.
@Suite struct ChatOutputCapFieldRouteTests {
    private static func yaml(_ field: String?) -> (String) -> String {
        { base in
            """
            models:
              - model_id: gpt
                model_name: gpt-5
                api_base: \(base)/v1
                format: openai
                api_key: sk-upstream
            \(field.map { "    max_tokens_field: \($0)\n" } ?? "")
            """
        }
    }

    private static let request: JSONValue = [
        "model": "gpt", "max_tokens": 100, "messages": [["role": "user", "content": "Hi"]],
    ]

    /// The cap goes up under the route's name, and only under it.
    @Test(arguments: [
        (nil, "max_tokens", "max_completion_tokens"),
        ("max_completion_tokens", "max_completion_tokens", "max_tokens"),
        ("max_tokens", "max_tokens", "max_completion_tokens"),
    ])
    func theCapGoesUpUnderTheRoutesName(field: String?, sent: String, absent: String) async throws {
        try await ProxyHarness.run(configYAML: Self.yaml(field)) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post("/v1/messages", json: Self.request)
            #expect(reply.status == 200, "\(reply.text)")
            let upstream = try JSONValue(parsing: try #require(proxy.stub.requests.last).body)
            #expect(upstream[sent] == 100)
            #expect(upstream[absent] == nil)
        }
    }

    /// OpenAI's own API defaults to `max_completion_tokens`, which all its
    /// chat models take; every other server (and Azure, whose older API
    /// versions lack it) keeps `max_tokens`, the name they all know.
    @Test func officialOpenAIDefaultsToMaxCompletionTokens() throws {
        let yaml = """
            models:
              - {model_id: openai, model_name: gpt-5, api_base: "https://API.openai.com/v1", format: openai}
              - {model_id: azure, model_name: d, api_base: "https://x.openai.azure.com/openai/deployments/d", format: openai}
              - {model_id: deepseek, model_name: deepseek-chat, api_base: "https://api.deepseek.com/v1", format: openai}
              - {model_id: named, model_name: m, api_base: "https://api.openai.com/v1", format: openai, max_tokens_field: max_tokens}
              - {model_id: responses, model_name: gpt-5, api_base: "https://api.openai.com/v1", format: openai-responses}

            """
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
        let fields = config.models.map { $0.routeOptions(requestedModel: "x").chatOutputCapField }
        #expect(fields == [.maxCompletionTokens, nil, nil, .maxTokens, nil])
        // Recorded in the route line, so `log-replay verify` converts alike.
        let route = config.models[0].routeOptions(requestedModel: "x")
        #expect(route.json["max_tokens_field"] == "max_completion_tokens")
        #expect(config.models[1].routeOptions(requestedModel: "x").json["max_tokens_field"] == nil)
        let decoded = try JSONDecoder().decode(RouteOptions.self, from: Data(route.json.serialized()))
        #expect(decoded == route)
        // `config print` shows what each route sends, and reads back alike.
        let printed = EffectiveConfigPrinter().render(config)
        #expect(printed.contains("max_tokens_field: max_completion_tokens\n"))
        #expect(printed.contains("max_tokens_field: null  # max_tokens\n"))
        #expect(printed.contains("max_tokens_field: null  # not format openai\n"))
        let reread = try ProxyConfig.parse(yaml: printed, file: "printed.yaml")
        #expect(reread.models.map(\.chatOutputCapField) == config.models.map(\.chatOutputCapField))
    }

    /// A name no upstream reads, or the field on a format with one name,
    /// is a config error that says what to write.
    @Test func aWrongFieldOrFormatIsAConfigError() throws {
        let base = """
            models:
              - model_id: a
                model_name: m
                api_base: https://example.com/v1
                format: FORMAT
                max_tokens_field: FIELD

            """
        func failure(format: String, field: String) throws -> ConfigError {
            let yaml = base.replacingOccurrences(of: "FORMAT", with: format).replacingOccurrences(
                of: "FIELD", with: field)
            return try #require(throws: ConfigError.self) { try ProxyConfig.parse(yaml: yaml, file: "m.yaml") }
        }
        let unknown = try failure(format: "openai", field: "max_output_tokens")
        #expect(unknown.line == 6)
        #expect(
            unknown.problem == "`max_tokens_field` `max_output_tokens` of `a` is not a field an OpenAI upstream reads")
        #expect(unknown.fix == "Use one of: max_tokens, max_completion_tokens.")
        let typo = try failure(format: "openai", field: "max_completion_token")
        #expect(typo.fix.hasPrefix("Did you mean `max_completion_tokens`?"), "\(typo.fix)")
        let gemini = try failure(format: "gemini", field: "max_tokens")
        #expect(gemini.problem == "`max_tokens_field` of `a` applies to `format: openai` only, not `gemini`")
        let mixedCase = try ProxyConfig.parse(
            yaml: base.replacingOccurrences(of: "FORMAT", with: "openai").replacingOccurrences(
                of: "FIELD", with: "Max_Completion_Tokens"), file: "m.yaml")
        #expect(mixedCase.models.first?.chatOutputCapField == .maxCompletionTokens)
    }
}
