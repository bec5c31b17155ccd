import Proxy
import TestSupport
import Testing
import Wire

/// `router:` picks the entry by what a request is, for every client dialect,
/// before the model name is looked at.
struct ScenarioRoutingTests {
    static func yaml(_ base: String) -> String {
        let ids = ["main", "fast", "reasoner", "big", "searcher", "vision"]
        let entries = ids.map { id in
            "  - {model_id: \(id), model_name: up-\(id), api_base: \"\(base)/v1\", format: openai}"
        }
        return """
            default: main
            router:
              background: fast
              think: reasoner
              long_context: big
              long_context_threshold: 2K
              web_search: searcher
              image: vision
            models:
            \(entries.joined(separator: "\n"))

            """
    }

    /// The upstream model the stub was last asked for.
    static func lastUpstreamModel(_ proxy: ProxyHarness) -> String? {
        guard let last = proxy.stub.requests.last else { return nil }
        return (try? JSONValue(parsing: last.body))?["model"]?.stringValue
    }

    static func messages(
        model: String = "claude-sonnet-4-5", content: JSONValue = "hi", extra: JSONObject = [:]
    )
        -> JSONValue
    {
        var body: JSONObject = [
            "model": .string(model), "max_tokens": 4000, "messages": [["role": "user", "content": content]],
        ]
        for member in extra { body[member.key] = member.value }
        return .object(body)
    }

    static let webSearchTool: JSONValue = [
        "name": "WebSearch", "description": "Search the web",
        "input_schema": ["type": "object", "properties": ["query": ["type": "string"]]],
    ]

    @Test(arguments: [
        ("plain", messages(), "up-main"),
        ("background", messages(model: "claude-haiku-4-5-20251001"), "up-fast"),
        ("think", messages(extra: ["thinking": ["type": "enabled", "budget_tokens": 1024]]), "up-reasoner"),
        ("long_context", messages(content: .string(String(repeating: "many words here ", count: 600))), "up-big"),
        ("web_search", messages(extra: ["tools": [webSearchTool]]), "up-searcher"),
        (
            "web_search server tool",
            messages(extra: ["tools": [["type": "web_search_20250305", "name": "web_search"]]]),
            "up-searcher"
        ),
        (
            "image",
            messages(content: [
                ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="]],
                ["type": "text", "text": "What is this?"],
            ]), "up-vision"
        ),
        (
            "thinking beats background",
            messages(
                model: "claude-3-5-haiku-20241022", extra: ["thinking": ["type": "enabled", "budget_tokens": 1024]]),
            "up-reasoner"
        ),
    ])
    func eachScenarioPicksItsEntry(name: String, request: JSONValue, upstreamModel: String) async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 200, "\(name): \(reply.text)")
            #expect(Self.lastUpstreamModel(proxy) == upstreamModel, "\(name)")
        }
    }

    @Test func anOpenAIClientsRequestIsRoutedByItsContentToo() async throws {
        try await ProxyHarness.run(configYAML: Self.yaml) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let tool: JSONValue = [
                "type": "function",
                "function": ["name": "WebSearch", "parameters": ["type": "object", "properties": [:]]],
            ]
            let chat: JSONValue = [
                "model": "gpt-4o", "messages": [["role": "user", "content": "news?"]], "tools": [tool],
            ]
            let reply = try await proxy.post("/v1/chat/completions", json: chat)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(Self.lastUpstreamModel(proxy) == "up-searcher")
            let plain: JSONValue = ["model": "gpt-4o", "messages": [["role": "user", "content": "hi"]]]
            let reply1 = try await proxy.post("/v1/chat/completions", json: plain)
            #expect(reply1.status == 200, "\(reply1.text)")
            #expect(Self.lastUpstreamModel(proxy) == "up-main")
        }
    }

    @Test func theAccessLineNamesTheScenario() async throws {
        let log = CapturedLog()
        try await ProxyHarness.run(configYAML: Self.yaml, logger: log.logger()) { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            let reply2 = try await proxy.post(json: Self.messages(model: "claude-haiku-4-5"))
            #expect(reply2.status == 200, "\(reply2.text)")
            let line = log.messages.map(\.message).first { $0.hasPrefix("POST /v1/messages") }
            #expect(line?.contains("claude-haiku-4-5 -> fast (background) 200") == true, "\(line ?? "none")")
        }
    }

    @Test func unknownModelIDsInTheRouterAreConfigErrorsWithTheirLine() throws {
        let yaml = """
            models:
              - {model_id: main, model_name: m, api_base: "http://127.0.0.1:1/v1", format: openai}
            router:
              think: nope
            """
        let failure = try #require(FallbackTests.configError(yaml))
        #expect(failure.line == 4, "\(failure)")
        #expect(failure.description.contains("`router.think` names model_id `nope`"), "\(failure)")
        let threshold = yaml.replacingOccurrences(of: "think: nope", with: "long_context_threshold: lots")
        #expect(FallbackTests.configError(threshold)?.description.contains("long_context_threshold") == true)
    }

    @Test func proxyRouteSaysScenariosMayOverride() throws {
        let router = ModelRouter(config: try ProxyConfig.parse(yaml: Self.yaml("http://127.0.0.1:1"), file: "m.yaml"))
        let text = router.explain(model: "claude-haiku-4-5").description
        #expect(text.contains("`claude-haiku-4-5` -> entry `main`"), "\(text)")
        #expect(text.contains("Scenarios may override this by request content"), "\(text)")
        #expect(text.contains("background -> `fast` (this name is a background name"), "\(text)")
        #expect(text.contains("long_context -> `big` (input above 2000 tokens)"), "\(text)")
        let table = RoutingTable(config: router.config).render()
        #expect(table.contains("Scenarios (router:)"), "\(table)")
        let printed = EffectiveConfigPrinter().render(router.config)
        let reparsed = try ProxyConfig.parse(yaml: printed, file: "printed.yaml")
        #expect(reparsed.scenarios.modelIDs == router.config.scenarios.modelIDs)
        #expect(reparsed.scenarios.longContextThreshold == 2000)
    }
}
