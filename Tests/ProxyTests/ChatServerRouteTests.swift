import Convert
import Foundation
import Testing

@testable import Proxy

/// `chat_server`: Mistral's API by its host, or any server that says so
/// (vLLM hosting a Mistral model); recorded in the route line and printed
/// by `config print` as read.
@Suite struct ChatServerRouteTests {
    @Test func mistralsHostsDefaultToItAndTheKeySaysItElsewhere() throws {
        let yaml = """
            models:
              - {model_id: mistral, model_name: devstral-medium-latest, api_base: "https://api.mistral.ai/v1", format: openai}
              - {model_id: codestral, model_name: codestral-latest, api_base: "https://codestral.mistral.ai/v1", format: openai}
              - {model_id: vllm, model_name: devstral, api_base: "http://gpu:8000/v1", format: openai, chat_server: mistral}
              - {model_id: openai, model_name: gpt-4.1, api_base: "https://api.openai.com/v1", format: openai}

            """
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
        let routes = config.models.map { $0.routeOptions(requestedModel: "x") }
        #expect(routes.map(\.chatServer) == [.mistral, .mistral, .mistral, nil])
        // Mistral's models mostly refuse an effort: none from the client's thinking.
        #expect(routes.map(\.reasoningEffortRefused) == [true, true, true, true])
        let decoded = try JSONDecoder().decode(RouteOptions.self, from: Data(routes[2].json.serialized()))
        #expect(decoded == routes[2])
        let printed = EffectiveConfigPrinter().render(config)
        #expect(printed.components(separatedBy: "    chat_server: mistral\n").count == 4)
        #expect(printed.contains("    chat_server: null  # OpenAI's rules\n"))
        let reread = try ProxyConfig.parse(yaml: printed, file: "printed.yaml")
        #expect(reread.models.map(\.chatServer) == config.models.map(\.chatServer))
    }

    @Test func anUnknownServerOrAnotherFormatIsAConfigError() throws {
        func failure(format: String, value: String) throws -> ConfigError {
            let yaml = """
                models:
                  - {model_id: a, model_name: m, api_base: "https://example.com/v1", format: \(format), chat_server: \(value)}

                """
            return try #require(throws: ConfigError.self) { try ProxyConfig.parse(yaml: yaml, file: "m.yaml") }
        }
        let unknown = try failure(format: "openai", value: "groq")
        #expect(unknown.problem == "`chat_server` `groq` of `a` is not a server the proxy fits requests to")
        #expect(unknown.fix.hasPrefix("Use one of: mistral;"))
        let gemini = try failure(format: "gemini", value: "mistral")
        #expect(gemini.problem == "`chat_server` of `a` applies to `format: openai` only, not `gemini`")
    }
}
