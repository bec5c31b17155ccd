import Convert
import Foundation
import Testing
import Wire

@testable import Proxy

@Suite struct ConfigParsingTests {
    static let full = """
        default: fast
        aliases:
          "claude-*": main
        models:
          - model_id: main
            model_name: deepseek-chat
            api_base: https://api.deepseek.com/v1/
            format: openai
            api_key: ${DEEPSEEK_KEY}
            max_tokens: 8K
            context: 64k
            extra_headers:
              X-Title: switchboard
              X-Token: "Bearer ${DEEPSEEK_KEY}"
            extra_body:
              top_k: 40
              nested: {flag: true, ratio: 0.5, none: null, list: [1, "two"]}
            reasoning_effort: high
            temperature: 0.25
            timeout: 30s
            max_stream_duration: 2h
            aliases: ["claude-*haiku*", "small"]
          - model_id: fast
            model_name: claude-haiku
            api_base: http://127.0.0.1:9000
            format: anthropic
        """

    @Test func readsEveryField() throws {
        let config = try ProxyConfig.parse(yaml: Self.full, file: "models.yaml", environment: ["DEEPSEEK_KEY": "sk-1"])
        #expect(config.defaultModelID == "fast")
        #expect(config.aliases == [ModelAlias(pattern: "claude-*", modelID: "main")])
        #expect(config.models.map(\.modelID) == ["main", "fast"])
        let main = try #require(config.model(id: "main"))
        #expect(main.modelName == "deepseek-chat")
        #expect(main.apiBase == "https://api.deepseek.com/v1")
        #expect(main.format == .openai)
        #expect(main.apiKey?.value == "sk-1")
        #expect(main.maxTokens == 8000)
        #expect(main.contextWindow == 64000)
        #expect(main.extraHeaders.map(\.name) == ["X-Title", "X-Token"])
        #expect(main.extraHeaders.map(\.value) == ["switchboard", "Bearer sk-1"])
        let expectedBody: JSONValue = [
            "top_k": 40, "nested": ["flag": true, "ratio": 0.5, "none": nil, "list": [1, "two"]],
        ]
        #expect(main.extraBody.map(JSONValue.object) == expectedBody)
        #expect(main.reasoningEffort == "high")
        #expect(main.temperature == 0.25)
        #expect(main.timeout == .seconds(30))
        #expect(main.maxStreamDuration == .seconds(7200))
        #expect(main.aliases == ["claude-*haiku*", "small"])
        #expect(main.line == 5)
        let fast = try #require(config.model(id: "fast"))
        #expect(fast.format == .anthropic)
        #expect(fast.apiKey == nil)
        #expect(fast.timeout == ModelEntry.defaultTimeout)
        #expect(fast.maxStreamDuration == ModelEntry.defaultMaxStreamDuration)
    }

    @Test func routeOptionsCarryTheConversionSettings() throws {
        let config = try ProxyConfig.parse(yaml: Self.full, file: "m.yaml", environment: ["DEEPSEEK_KEY": "k"])
        let options = try #require(config.model(id: "main")).routeOptions(requestedModel: "claude-x")
        #expect(options.modelID == "main")
        #expect(options.upstreamDialect == .openai)
        #expect(options.upstreamModel == "deepseek-chat")
        #expect(options.maxTokensCap == 8000)
        #expect(options.contextWindow == 64000)
        #expect(options.reasoningEffort == "high")
        #expect(options.temperature == 0.25)
        #expect(options.extraBody?["top_k"] == 40)
    }

    @Test func starModelNameKeepsTheClientsModel() throws {
        let config = try ProxyConfig.parse(
            yaml: "models:\n  - {model_id: a, model_name: \"*\", api_base: \"http://h\", format: anthropic}\n",
            file: "m.yaml")
        let options = try #require(config.model(id: "a")).routeOptions(requestedModel: "claude-opus-4-1")
        #expect(options.upstreamModel == "claude-opus-4-1")
    }

    @Test(arguments: [
        ("8192", 8192), ("8_192", 8192), ("8K", 8000), ("8k", 8000), ("200k", 200_000), ("1M", 1_000_000),
        ("1.5M", 1_500_000), ("8Ki", 8192), ("1Mi", 1_048_576), (" 64K ", 64000),
    ])
    func tokenCounts(text: String, expected: Int) {
        #expect(TokenCountLiteral.parse(text) == expected)
    }

    @Test(arguments: ["", "K", "eight", "8KB", "-1", "1e3", "8 K"])
    func notTokenCounts(text: String) {
        #expect(TokenCountLiteral.parse(text) == nil)
    }

    @Test(arguments: [
        ("600", Duration.seconds(600)), ("2.5", .milliseconds(2500)), ("500ms", .milliseconds(500)),
        ("30s", .seconds(30)), ("10m", .seconds(600)), ("1h", .seconds(3600)),
    ])
    func durations(text: String, expected: Duration) {
        #expect(DurationLiteral.parse(text) == expected)
    }

    @Test(arguments: ["0", "soon", "-5s", "5d", "10000000000000000", "99999999999999999999h"])
    func notDurations(text: String) {
        #expect(DurationLiteral.parse(text) == nil)
    }

    @Test func environmentReferencesExpandAnywhereInAValue() throws {
        let env = ["A": "x", "B": "y"]
        #expect(try EnvironmentInterpolation.expand("${A}-${B}/$literal", environment: env) == "x-y/$literal")
        #expect(throws: EnvironmentInterpolation.UndefinedVariable.self) {
            try EnvironmentInterpolation.expand("${C}", environment: env)
        }
    }

    @Test func defaultConfigParsesAndRoutesEverythingToAnthropic() throws {
        let config = try ProxyConfig.parse(yaml: DefaultConfig.text, file: "default")
        let route = try #require(ModelRouter(config: config).route(model: "claude-opus-4-1"))
        #expect(route.entry.apiBase == "https://api.anthropic.com")
        #expect(route.entry.routeOptions(requestedModel: "claude-opus-4-1").upstreamModel == "claude-opus-4-1")
    }

    /// The commented examples are the reference users copy: uncommented,
    /// each parses, and together they cover every format.
    @Test func defaultConfigExamplesParseWhenUncommented() throws {
        let uncommented = DefaultConfig.text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("  # - ") || line.hasPrefix("  #   ") ? "  " + line.dropFirst(4) : line
        }.joined(separator: "\n")
        let environment = ["OPENAI_API_KEY": "k1", "DEEPSEEK_API_KEY": "k2", "GEMINI_API_KEY": "k3"]
        let config = try ProxyConfig.parse(yaml: uncommented, file: "default", environment: environment)
        #expect(config.models.count > 4)
        #expect(Set(config.models.map(\.format)) == Set(Dialect.allCases))
    }

    @Test func everyFormatIsAccepted() throws {
        for (written, dialect) in [
            ("openai", Dialect.openai), ("openai-responses", .openaiResponses), ("gemini", .gemini),
            ("anthropic", .anthropic), ("Gemini", .gemini),
        ] {
            let config = try ProxyConfig.parse(
                yaml: "models:\n  - {model_id: a, model_name: m, api_base: \"http://h/v1\", format: \(written)}\n",
                file: "m.yaml")
            #expect(config.models.first?.format == dialect)
        }
    }

    @Test func aQueryInTheBaseIsKeptWithoutItsSlash() throws {
        let config = try ProxyConfig.parse(
            yaml:
                "models:\n  - {model_id: a, model_name: m, api_base: \"https://h/openai/?api-version=2\", format: openai}\n",
            file: "m.yaml")
        #expect(config.models.first?.apiBase == "https://h/openai?api-version=2")
    }

    @Test func defaultPathFollowsXDGThenHome() {
        #expect(
            DefaultConfig.path(environment: ["XDG_CONFIG_HOME": "/x/cfg", "HOME": "/home/u"])
                == "/x/cfg/switchboard/models.yaml")
        #expect(DefaultConfig.path(environment: ["HOME": "/home/u"]) == "/home/u/.config/switchboard/models.yaml")
        #expect(
            DefaultConfig.path(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/home/u"])
                == "/home/u/.config/switchboard/models.yaml")
    }

    @Test func firstRunWritesTheDefaultOnceAndLoadsIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-config-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("switchboard/models.yaml").path
        #expect(try DefaultConfig.writeIfMissing(at: path))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == DefaultConfig.text)
        try Data("models: []".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try DefaultConfig.writeIfMissing(at: path) == false)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "models: []")
    }
}
