import Cassette
import Convert
import Foundation
import HTTPTypes
import Testing

@testable import Proxy

/// URLs and key headers for each format, as Convert's UpstreamEndpoint
/// defines them, with the client's query passed to Anthropic only.
@Suite struct UpstreamRequestTests {
    private func entry(_ format: Dialect, base: String, key: String? = "k-1") -> ModelEntry {
        ModelEntry(
            modelID: "m", modelName: "up-model", apiBase: base, format: format, apiKey: key.map(Secret.init))
    }

    private func url(_ entry: ModelEntry, stream: Bool, query: String? = "beta=true") -> String {
        UpstreamRequest.messagesURL(
            for: entry, route: entry.routeOptions(requestedModel: "claude-x"), stream: stream, clientQuery: query)
    }

    @Test func urlsPerFormat() {
        let openAI = entry(.openai, base: "https://api.openai.com/v1")
        #expect(url(openAI, stream: true) == "https://api.openai.com/v1/chat/completions")
        let responses = entry(.openaiResponses, base: "https://api.openai.com/v1")
        #expect(url(responses, stream: false) == "https://api.openai.com/v1/responses")
        let gemini = entry(.gemini, base: "https://generativelanguage.googleapis.com/v1beta")
        #expect(
            url(gemini, stream: true)
                == "https://generativelanguage.googleapis.com/v1beta/models/up-model:streamGenerateContent?alt=sse")
        #expect(
            url(gemini, stream: false)
                == "https://generativelanguage.googleapis.com/v1beta/models/up-model:generateContent")
        let anthropic = entry(.anthropic, base: "https://api.anthropic.com")
        #expect(url(anthropic, stream: true) == "https://api.anthropic.com/v1/messages?beta=true")
        #expect(url(anthropic, stream: true, query: nil) == "https://api.anthropic.com/v1/messages")
        #expect(
            UpstreamRequest.countTokensURL(
                for: anthropic, route: anthropic.routeOptions(requestedModel: "c"), clientQuery: "beta=true")
                == "https://api.anthropic.com/v1/messages/count_tokens?beta=true")
    }

    /// `proxy check` lists an upstream's models; an Anthropic base ending
    /// in `/v1` once asked for `/v1/v1/models` while its messages went to
    /// `/v1/messages`.
    @Test func theModelsListFollowsTheMessagesURLsVersionRule() {
        for base in ["http://h/v1", "http://h/v1/", "http://h"] {
            let anthropic = entry(.anthropic, base: base)
            #expect(UpstreamRequest.modelsURL(for: anthropic) == "http://h/v1/models")
            #expect(url(anthropic, stream: false, query: nil) == "http://h/v1/messages")
        }
        #expect(UpstreamRequest.modelsURL(for: entry(.anthropic, base: "http://h/v1?x=1")) == "http://h/v1/models?x=1")
        #expect(UpstreamRequest.modelsURL(for: entry(.openai, base: "http://h/v1/")) == "http://h/v1/models")
        #expect(UpstreamRequest.modelsURL(for: entry(.gemini, base: "http://h/v1beta")) == "http://h/v1beta/models")
    }

    /// Only `beta` of the client's query reaches an Anthropic upstream: a
    /// `key=` meant for the proxy once went on beside the route's own key.
    @Test func onlyTheClientsBetaReachesAnAnthropicUpstream() {
        let anthropic = entry(.anthropic, base: "https://api.anthropic.com")
        let route = anthropic.routeOptions(requestedModel: "c")
        #expect(
            url(anthropic, stream: true, query: "beta=true&key=CLIENT-SECRET&x=1")
                == "https://api.anthropic.com/v1/messages?beta=true")
        #expect(url(anthropic, stream: true, query: "key=CLIENT-SECRET") == "https://api.anthropic.com/v1/messages")
        #expect(
            url(anthropic, stream: true, query: "x=1&beta=false") == "https://api.anthropic.com/v1/messages?beta=false")
        #expect(
            UpstreamRequest.countTokensURL(for: anthropic, route: route, clientQuery: "token=t&beta=true")
                == "https://api.anthropic.com/v1/messages/count_tokens?beta=true")
        let azure = entry(.anthropic, base: "https://h.example?api-version=1")
        #expect(
            url(azure, stream: false, query: "key=k&beta=true")
                == "https://h.example/v1/messages?api-version=1&beta=true")
    }

    @Test func aBaseQueryGoesAfterThePath() {
        let azure = entry(.openai, base: "https://x.openai.azure.com/openai/deployments/d?api-version=2024-10-21")
        #expect(
            url(azure, stream: true)
                == "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21")
        let gemini = entry(.gemini, base: "https://g.example/v1beta?trace=1")
        #expect(
            url(gemini, stream: true)
                == "https://g.example/v1beta/models/up-model:streamGenerateContent?alt=sse&trace=1")
        let accented = entry(.openai, base: "https://ü.example/é?v=ü")
        #expect(url(accented, stream: true) == "https://ü.example/é/chat/completions?v=ü")
    }

    @Test func keyHeaderPerFormatAndNeverInTheURL() {
        let cases: [(Dialect, String, String)] = [
            (.openai, "authorization", "Bearer k-1"), (.openaiResponses, "authorization", "Bearer k-1"),
            (.gemini, "x-goog-api-key", "k-1"), (.anthropic, "x-api-key", "k-1"),
        ]
        for (format, header, value) in cases {
            let route = entry(format, base: "https://h/v1")
            let target = url(route, stream: true)
            let request = UpstreamRequest.make(
                url: target, entry: route, clientHeaders: [:], streaming: true)
            #expect(request.headers[header] == [value], "\(format)")
            #expect(!request.url.contains("k-1"))
            #expect(request.headers["anthropic-version"].isEmpty == (format != .anthropic), "\(format)")
        }
    }

    @Test func theClientsKeyIsPassedOnInTheUpstreamsHeader() {
        let gemini = entry(.gemini, base: "https://h/v1beta", key: nil)
        let request = UpstreamRequest.make(
            url: url(gemini, stream: false), entry: gemini,
            clientHeaders: [HTTPField.Name("x-api-key")!: "client-key"], streaming: false)
        #expect(request.headers["x-goog-api-key"] == ["client-key"])
        #expect(request.headers["x-api-key"].isEmpty)
    }

    @Test func aClaudeSubscriptionTokenGoesAsBearerWithTheOAuthBeta() {
        let anthropic = entry(.anthropic, base: "https://api.anthropic.com", key: nil)
        let request = UpstreamRequest.make(
            url: url(anthropic, stream: true), entry: anthropic,
            clientHeaders: [
                .authorization: "Bearer sk-ant-oat01-abc",
                HTTPField.Name("anthropic-beta")!: "claude-code-20250219,fine-grained-tool-streaming-2025-05-14",
            ], streaming: true)
        #expect(request.headers["authorization"] == ["Bearer sk-ant-oat01-abc"])
        #expect(request.headers["x-api-key"].isEmpty)
        #expect(
            request.headers["anthropic-beta"] == [
                "claude-code-20250219,fine-grained-tool-streaming-2025-05-14,oauth-2025-04-20"
            ])
        // Claude Code logged in with its subscription names the beta itself: not twice.
        let named = UpstreamRequest.make(
            url: url(anthropic, stream: true), entry: anthropic,
            clientHeaders: [
                .authorization: "Bearer sk-ant-oat01-abc", HTTPField.Name("anthropic-beta")!: "oauth-2025-04-20",
            ],
            streaming: true)
        #expect(named.headers["anthropic-beta"] == ["oauth-2025-04-20"])
        // An API key given as a bearer token still goes as x-api-key.
        let apiKey = UpstreamRequest.make(
            url: url(anthropic, stream: true), entry: anthropic,
            clientHeaders: [.authorization: "Bearer sk-ant-api03-xyz"], streaming: true)
        #expect(apiKey.headers["x-api-key"] == ["sk-ant-api03-xyz"])
        #expect(apiKey.headers["authorization"].isEmpty)
        #expect(apiKey.headers["anthropic-beta"].isEmpty)
    }

    @Test(arguments: [
        (Dialect.anthropic, UpstreamEndpoint.KeyAuth.bearer, "authorization", "Bearer k-1"),
        (.openai, .xAPIKey, "x-api-key", "k-1"),
        (.gemini, .bearer, "authorization", "Bearer k-1"),
        (.openai, .apiKey, "api-key", "k-1"),
    ])
    func anEntrysAuthPicksTheHeader(format: Dialect, auth: UpstreamEndpoint.KeyAuth, header: String, value: String) {
        var route = entry(format, base: "https://h/v1")
        route.keyAuth = auth
        let request = UpstreamRequest.make(
            url: url(route, stream: true), entry: route, clientHeaders: [:], streaming: true)
        #expect(request.headers[header] == [value])
        for other in ["authorization", "x-api-key", "x-goog-api-key", "api-key"] where other != header {
            #expect(request.headers[other].isEmpty, "\(other)")
        }
        #expect(request.headers["anthropic-beta"] == (format == .anthropic ? ["oauth-2025-04-20"] : []))
    }

    /// Azure OpenAI's deployment URLs refuse a key as a bearer token: an
    /// OpenAI-format entry on an Azure host sends it as `api-key` unless it
    /// says otherwise; other hosts and formats keep their own header.
    @Test func azureHostsDefaultToTheirApiKeyHeader() throws {
        let yaml = """
            models:
              - {model_id: azure, model_name: gpt-4.1, api_base: "https://x.openai.azure.com/openai/deployments/gpt-4.1?api-version=2024-10-21", format: openai}
              - {model_id: foundry, model_name: o3, api_base: "https://x.services.ai.azure.com/openai/v1", format: openai-responses}
              - {model_id: said, model_name: gpt-4.1, api_base: "https://x.openai.azure.com/openai/v1", format: openai, auth: bearer}
              - {model_id: openai, model_name: gpt-4.1, api_base: "https://api.openai.com/v1", format: openai}
              - {model_id: claude, model_name: claude, api_base: "https://x.services.ai.azure.com/anthropic", format: anthropic}

            """
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
        #expect(config.models.map(\.keyAuth) == [.apiKey, .apiKey, .bearer, nil, nil])
        var azure = config.models[0]
        azure.apiKey = Secret("azure-key-1")
        let request = UpstreamRequest.make(
            url: url(azure, stream: false, query: nil), entry: azure, clientHeaders: [:], streaming: false)
        #expect(request.headers["api-key"] == ["azure-key-1"])
        #expect(request.headers["authorization"].isEmpty)
        #expect(azure.routeOptions(requestedModel: "m").json["auth"] == "api-key")
        // A cassette never holds it: the header's name is a secret's.
        #expect(Redactor.isSecretName("api-key"))
        let printed = EffectiveConfigPrinter().render(config)
        #expect(printed.components(separatedBy: "    auth: api-key\n").count == 3)
        let reread = try ProxyConfig.parse(yaml: printed, file: "printed.yaml")
        #expect(reread.models.map(\.keyAuth) == config.models.map(\.keyAuth))
    }

    /// The route line records an entry's `auth` (a subscription login sets
    /// it too), so `log-replay verify` knows where the key belongs; a route
    /// without one records nothing new.
    @Test func theRouteLineRecordsAnEntrysAuth() throws {
        var route = entry(.anthropic, base: "https://api.anthropic.com")
        #expect(route.routeOptions(requestedModel: "c").json["auth"] == nil)
        route.keyAuth = .bearer
        let options = route.routeOptions(requestedModel: "c")
        #expect(options.json["auth"] == "bearer")
        let decoded = try JSONDecoder().decode(RouteOptions.self, from: Data(options.json.serialized()))
        #expect(decoded.keyAuth == .bearer)
    }

    /// The whole header list, in order: the fixed headers, the client's
    /// Anthropic version and betas (or the default version), the key, then
    /// what the key's kind adds.
    @Test func theHeadersGoInOneOrder() {
        func headers(_ route: ModelEntry, client: HTTPFields, streaming: Bool) -> [String] {
            UpstreamRequest.make(
                url: url(route, stream: streaming), entry: route, clientHeaders: client, streaming: streaming
            )
            .headers.map { "\($0.name): \($0.value)" }
        }
        let anthropic = entry(.anthropic, base: "https://api.anthropic.com")
        #expect(
            headers(
                anthropic,
                client: [
                    HTTPField.Name("anthropic-beta")!: "b-1", HTTPField.Name("anthropic-version")!: "2023-01-01",
                ], streaming: true) == [
                    "content-type: application/json", "accept: text/event-stream", "user-agent: switchboard-proxy",
                    "anthropic-version: 2023-01-01", "anthropic-beta: b-1", "x-api-key: k-1",
                ])
        #expect(
            headers(anthropic, client: [:], streaming: false) == [
                "content-type: application/json", "accept: application/json", "user-agent: switchboard-proxy",
                "anthropic-version: 2023-06-01", "x-api-key: k-1",
            ])
        let subscription = entry(.anthropic, base: "https://api.anthropic.com", key: nil)
        #expect(
            headers(subscription, client: [.authorization: "Bearer sk-ant-oat01-abc"], streaming: true) == [
                "content-type: application/json", "accept: text/event-stream", "user-agent: switchboard-proxy",
                "anthropic-version: 2023-06-01", "authorization: Bearer sk-ant-oat01-abc",
                "anthropic-beta: oauth-2025-04-20",
            ])
        #expect(
            headers(entry(.openai, base: "https://h/v1", key: nil), client: [:], streaming: true) == [
                "content-type: application/json", "accept: text/event-stream", "user-agent: switchboard-proxy",
            ])
    }
}

/// A Gemini client's `key=` query parameter, when the route has no key.
@Suite struct ClientQueryKeyTests {
    private let keyless = ModelEntry(
        modelID: "m", modelName: "up", apiBase: "https://example.invalid/v1beta", format: .gemini, apiKey: nil)

    private func key(_ query: String) -> String? {
        UpstreamRequest.apiKey(entry: keyless, clientHeaders: HTTPFields(), clientQuery: query)
    }

    @Test func theFirstKeyWithAValueIsDecodedAsTheRedactorDecodesIt() {
        #expect(key("alt=sse&key=AIza%2Bx+y") == "AIza+x y")
        #expect(key("key=&key=second") == "second")
        #expect(key("keys=no&alt=sse") == nil)
        #expect(key("key") == nil)
    }

    /// `=` and U+0301 make one `Character`: a search by `Character` for
    /// `key=` missed it.
    @Test func aCombiningMarkAfterTheEqualsSignDoesNotHideTheKey() {
        #expect(key("alt=sse&key=\u{301}k") == "\u{301}k")
    }
}

/// A client's key header given twice: the first value with one, not the
/// two joined into a key no upstream takes.
@Suite struct RepeatedKeyHeaderTests {
    private let keyless = ModelEntry(
        modelID: "m", modelName: "up", apiBase: "https://example.invalid/v1", format: .openai, apiKey: nil)

    private func key(_ fields: [(String, String)]) -> String? {
        var headers = HTTPFields()
        for (name, value) in fields { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return UpstreamRequest.apiKey(entry: keyless, clientHeaders: headers)
    }

    @Test func theFirstValueIsTheKey() {
        #expect(key([("x-api-key", "sk-first"), ("X-API-KEY", "sk-second")]) == "sk-first")
        #expect(key([("x-api-key", ""), ("x-api-key", "sk-second")]) == "sk-second")
        #expect(key([("authorization", "Basic abc"), ("authorization", "Bearer sk-bearer")]) == "sk-bearer")
    }
}
