import Convert
import Testing

@testable import Proxy

@Suite struct ModelRouterTests {
    private func config(default fallback: String? = nil) throws -> ProxyConfig {
        var yaml = """
            models:
              - {model_id: main, model_name: big, api_base: "http://u", format: openai, aliases: ["claude-*"]}
              - {model_id: fast, model_name: small, api_base: "http://u", format: openai, aliases: ["claude-*haiku*"]}
              - {model_id: other, model_name: o, api_base: "http://u", format: anthropic}
            aliases:
              "gpt-?o": other

            """
        if let fallback { yaml += "default: \(fallback)\n" }
        return try ProxyConfig.parse(yaml: yaml, file: "m.yaml")
    }

    @Test func exactIDWinsOverAliases() throws {
        let route = try #require(ModelRouter(config: try config()).route(model: "fast"))
        #expect(route.entry.modelID == "fast" && route.match == .exact)
    }

    @Test func mostSpecificAliasWinsRegardlessOfFileOrder() throws {
        let router = ModelRouter(config: try config())
        let haiku = try #require(router.route(model: "claude-3-5-haiku-20241022"))
        #expect(haiku.entry.modelID == "fast" && haiku.match == .alias("claude-*haiku*"))
        let sonnet = try #require(router.route(model: "claude-sonnet-4-5"))
        #expect(sonnet.entry.modelID == "main" && sonnet.match == .alias("claude-*"))
        #expect(router.route(model: "gpt-4o")?.entry.modelID == "other")
    }

    @Test func unknownModelWithoutDefaultIsNil() throws {
        let router = ModelRouter(config: try config())
        #expect(router.route(model: "gpt-4.1") == nil)
        #expect(router.modelIDs == ["main", "fast", "other"])
    }

    @Test func defaultCatchesTheRest() throws {
        let route = try #require(ModelRouter(config: try config(default: "other")).route(model: "mystery"))
        #expect(route.entry.modelID == "other" && route.match == .fallback)
    }

    @Test(arguments: [
        ("claude-*", "claude-", true), ("claude-*", "claude-x-y", true), ("claude-*", "claud", false),
        ("*haiku*", "claude-haiku-4", true), ("*haiku*", "claude-sonnet", false), ("a?c", "abc", true),
        ("a?c", "ac", false), ("*", "", true), ("a*b*c", "aXbYbZc", true), ("a*b*c", "aXbYbZ", false),
        ("exact", "exact", true), ("exact", "exactly", false),
    ])
    func globs(pattern: String, name: String, matches: Bool) {
        #expect(GlobPattern(pattern).matches(name) == matches)
    }
}
