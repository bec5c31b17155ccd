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
        // A tool the client runs itself is no search capability, whatever
        // its name: Claude Code's WebSearch, once loaded, is in every turn.
        ("a client tool named WebSearch", messages(extra: ["tools": [webSearchTool]]), "up-main"),
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
            #expect(Self.lastUpstreamModel(proxy) == "up-main")
            let thinking: JSONValue = [
                "model": "gpt-4o", "messages": [["role": "user", "content": "hi"]], "reasoning_effort": "high",
            ]
            let reply1 = try await proxy.post("/v1/chat/completions", json: thinking)
            #expect(reply1.status == 200, "\(reply1.text)")
            #expect(Self.lastUpstreamModel(proxy) == "up-reasoner")
        }
    }

    /// With no `default`, a background name is served by the background
    /// entry alone; `proxy route`, `GET /v1/models/{id}` and count_tokens
    /// said 404 where a generate request was answered.
    @Test func aBackgroundNameIsServedEverywhereWithoutADefault() async throws {
        let yaml = { (base: String) in
            Self.yaml(base).replacingOccurrences(of: "default: main\n", with: "")
        }
        let router = ModelRouter(config: try ProxyConfig.parse(yaml: yaml("http://127.0.0.1:1"), file: "m.yaml"))
        let explained = router.explain(model: "claude-3-5-haiku-20241022")
        #expect(explained.route?.entry.modelID == "fast")
        #expect(explained.description.contains("Why: the request is `background`"), "\(explained.description)")
        #expect(router.explain(model: "claude-sonnet-4-5").route == nil)
        let log = CapturedLog()
        try await ProxyHarness.run(configYAML: yaml, logger: log.logger()) { proxy in
            let model = try await proxy.send(.GET, "/v1/models/claude-3-5-haiku-20241022")
            #expect(model.status == 200, "\(model.text)")
            #expect(model.json?["display_name"] == "claude-3-5-haiku-20241022 (served by fast)", "\(model.text)")
            let count: JSONValue = [
                "model": "claude-3-5-haiku-20241022", "messages": [["role": "user", "content": "hi"]],
            ]
            let counted = try await proxy.post("/v1/messages/count_tokens", json: count)
            #expect(counted.status == 200, "\(counted.text)")
            // Content scenarios too: a count for a thinking request is the
            // reasoner's, as its request would be.
            var thinking = count
            thinking["model"] = "claude-sonnet-4-5"
            thinking["thinking"] = ["type": "enabled", "budget_tokens": 1024]
            let counted1 = try await proxy.post("/v1/messages/count_tokens", json: thinking)
            #expect(counted1.status == 200, "\(counted1.text)")
            // A Gemini client's countTokens alike.
            let gemini: JSONValue = [
                "contents": [["role": "user", "parts": [["text": "hi"]]]],
                "generationConfig": ["thinkingConfig": ["thinkingBudget": 1024]],
            ]
            let counted2 = try await proxy.post("/v1beta/models/claude-sonnet-4-5:countTokens", json: gemini)
            #expect(counted2.status == 200, "\(counted2.text)")
            let geminiLine = log.messages.map(\.message).first { $0.hasPrefix("POST /v1beta/models/") }
            #expect(geminiLine?.contains("-> reasoner (think) 200") == true, "\(geminiLine ?? "none")")
            let lines = log.messages.map(\.message).filter { $0.hasPrefix("POST /v1/messages/count_tokens") }
            #expect(lines.count == 2)
            #expect(lines.first?.contains("-> fast (background) 200") == true, "\(lines)")
            #expect(lines.last?.contains("-> reasoner (think) 200") == true, "\(lines)")
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
        // A background name goes to the background entry by its name alone,
        // as serve sends it; other names by their entry, content may override.
        let text = router.explain(model: "claude-haiku-4-5").description
        #expect(text.contains("`claude-haiku-4-5` -> entry `fast`"), "\(text)")
        #expect(router.explain(model: "claude-sonnet-4-5").description.contains("-> entry `main`"))
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
