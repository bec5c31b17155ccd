import Convert
import Testing

@testable import Proxy

/// tizee/anthropic-proxy's `models.yaml`, as it is: its layout (a top-level
/// list) and its fields.
@Suite struct TizeeConfigTests {
    @Test func itsExampleLoadsAsItIs() throws {
        let config = try ProxyConfig.parse(yaml: TizeeModelsFixture.yaml, file: "tizee.yaml")
        #expect(
            config.models.map(\.modelID) == [
                "deepseek-chat", "claude-3-5-sonnet-direct", "kimi-k2-direct", "doubao-seed-1-8-nothinking",
                "doubao-seed-1-8-high", "gemini-2.5-pro", "example-model", "codex/gpt-5.2-codex",
            ])
        #expect(config.aliases.isEmpty && config.defaultModelID == nil)
        let byID = Dictionary(uniqueKeysWithValues: config.models.map { ($0.modelID, $0) })

        let deepseek = try #require(byID["deepseek-chat"])
        #expect(deepseek.format == .openai && deepseek.maxTokens == 8000 && deepseek.contextWindow == 128_000)
        #expect(deepseek.canStream)

        let claude = try #require(byID["claude-3-5-sonnet-direct"])
        #expect(claude.format == .anthropic && claude.contextWindow == 200_000)
        #expect(byID["kimi-k2-direct"]?.format == .anthropic)
        #expect(byID["kimi-k2-direct"]?.maxTokens == 16_000)

        // No `format` and no `direct`: OpenAI-compatible, as there.
        #expect(byID["doubao-seed-1-8-nothinking"]?.format == .openai)
        #expect(byID["doubao-seed-1-8-nothinking"]?.reasoningEffort == "minimal")
        #expect(byID["doubao-seed-1-8-high"]?.reasoningEffort == "high")

        let gemini = try #require(byID["gemini-2.5-pro"])
        #expect(!gemini.canStream)
        #expect(gemini.reasoningEffort == nil)
        #expect(gemini.extraHeaders.map(\.name) == ["HTTP-Referer", "X-Title"])
        #expect(gemini.extraBody?["top_p"] == .double(0.95))

        // `model_name` left out: the id, as there.
        #expect(byID["example-model"]?.modelName == "example-model")

        let codex = try #require(byID["codex/gpt-5.2-codex"])
        #expect(codex.provider == "codex" && codex.apiBase.isEmpty && codex.maxTokens == 32_000)

        #expect(
            config.warnings.map(\.description) == [
                "tizee.yaml:43:3: warning: unknown model entry field `api_key_name` is ignored (known fields: "
                    + ConfigParser.entryFields.joined(separator: ", ") + ")"
            ])
    }

    @Test func formatWinsOverDirectAndOurLayoutStillNeedsAFormat() throws {
        let both = try ProxyConfig.parse(
            yaml: "- {model_id: a, api_base: \"http://u\", format: gemini, direct: true}\n", file: "m.yaml")
        #expect(both.models[0].format == .gemini)
        let direct = try ProxyConfig.parse(
            yaml: "models:\n  - {model_id: a, model_name: m, api_base: \"http://u\", direct: true}\n", file: "m.yaml")
        #expect(direct.models[0].format == .anthropic)
        #expect(throws: ConfigError.self) {
            try ProxyConfig.parse(
                yaml: "models:\n  - {model_id: a, model_name: m, api_base: \"http://u\"}\n", file: "m.yaml")
        }
    }

    @Test func contextAndMaxInputTokensMustAgree() throws {
        let same = try ProxyConfig.parse(
            yaml: "- {model_id: a, api_base: \"http://u\", context: 128K, max_input_tokens: 128000}\n", file: "m.yaml")
        #expect(same.models[0].contextWindow == 128_000)
        do {
            _ = try ProxyConfig.parse(
                yaml: "- {model_id: a, api_base: \"http://u\", context: 64K, max_input_tokens: 128K}\n", file: "m.yaml")
            Issue.record("disagreeing limits were accepted")
        } catch {
            #expect(error.problem == "`max_input_tokens` (128000) and `context` (64000) disagree")
        }
    }

    @Test func badBooleansAndAnEmptyListAreErrors() throws {
        #expect(throws: ConfigError.self) {
            try ProxyConfig.parse(yaml: "- {model_id: a, api_base: \"http://u\", can_stream: sometimes}\n", file: "m")
        }
        #expect(throws: ConfigError.self) { try ProxyConfig.parse(yaml: "[]\n", file: "m") }
    }

    @Test func routeOptionsRecordCanStreamOnlyWhenOff() throws {
        let config = try ProxyConfig.parse(yaml: TizeeModelsFixture.yaml, file: "tizee.yaml")
        let gemini = try #require(config.model(id: "gemini-2.5-pro")).routeOptions(requestedModel: "x")
        #expect(gemini.canStream == false && !gemini.upstreamStreams)
        #expect(gemini.json["can_stream"] == .bool(false))
        let deepseek = try #require(config.model(id: "deepseek-chat")).routeOptions(requestedModel: "x")
        #expect(deepseek.canStream == nil && deepseek.upstreamStreams && deepseek.json["can_stream"] == nil)
    }
}
