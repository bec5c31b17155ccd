import Convert
import Testing

@testable import Proxy

/// tizee/anthropic-proxy's `models.yaml`, as it is: its layout (a top-level
/// list) and its fields.
@Suite struct TizeeConfigTests {
    @Test func itsExampleLoadsAsItIs() throws {
        let config = try ProxyConfig.parse(
            yaml: TizeeModelsFixture.yaml, file: "tizee.yaml", environment: TizeeModelsFixture.environment)
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
        // `api_key_name: OPENROUTER_API_KEY` is `api_key: ${OPENROUTER_API_KEY}`.
        #expect(gemini.apiKey?.value == "sk-or-fixture-key")

        // `model_name` left out: the id, as there.
        #expect(byID["example-model"]?.modelName == "example-model")

        let codex = try #require(byID["codex/gpt-5.2-codex"])
        #expect(codex.provider == "codex" && codex.apiBase.isEmpty && codex.maxTokens == 32_000)
        // The backend's own name, as there: not `codex/gpt-5.2-codex`.
        #expect(codex.modelName == "gpt-5.2-codex")

        #expect(config.warnings.isEmpty)
    }

    /// tizee's `api_key_name` names the environment variable holding the
    /// key: here it is `api_key: ${NAME}`, with its errors, and not beside
    /// an `api_key`.
    @Test func apiKeyNameIsTheKeyFromThatEnvironmentVariable() throws {
        let yaml = "- {model_id: a, api_base: \"http://u\", api_key_name: MY_KEY}\n"
        let config = try ProxyConfig.parse(yaml: yaml, file: "m", environment: ["MY_KEY": "sk-mine"])
        #expect(config.models[0].apiKey?.value == "sk-mine")
        do {
            _ = try ProxyConfig.parse(yaml: yaml, file: "m")
            Issue.record("an unset variable was accepted")
        } catch {
            #expect(error.problem == "environment variable `MY_KEY` is not set")
        }
        #expect(throws: ConfigError.self) {
            try ProxyConfig.parse(
                yaml: "- {model_id: a, api_base: \"http://u\", api_key: k, api_key_name: MY_KEY}\n", file: "m",
                environment: ["MY_KEY": "sk-mine"])
        }
        #expect(throws: ConfigError.self) {
            try ProxyConfig.parse(
                yaml: "- {model_id: a, api_base: \"http://u\", api_key_name: \"${MY_KEY}\"}\n", file: "m",
                environment: ["MY_KEY": "sk-mine"])
        }
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

    /// tizee's `_default_model_name`: a subscription entry's id without its
    /// `provider/` prefix, for every subscription; in our layout too, where
    /// such an entry overrides a built-in one of the same id.
    @Test func aSubscriptionEntrysModelNameIsItsIdWithoutTheProviderPrefix() throws {
        for provider in SubscriptionProvider.allCases {
            let id = "\(provider.rawValue)/\(provider.builtInModels[0])"
            let list = try ProxyConfig.parse(yaml: "- {model_id: \(id), provider: \(provider.rawValue)}\n", file: "m")
            #expect(list.models[0].modelName == provider.builtInModels[0], "\(provider)")
            let ours = try ProxyConfig.parse(
                yaml: "models:\n  - {model_id: \(id), provider: \(provider.rawValue), reasoning_effort: high}\n",
                file: "m")
            #expect(ours.models[0].modelName == provider.builtInModels[0], "\(provider)")
        }
        // Another prefix, or none, is no subscription's: the id, as there.
        let other = try ProxyConfig.parse(
            yaml: "- {model_id: gemini/x, provider: codex}\n- {model_id: y, provider: codex}\n", file: "m")
        #expect(other.models.map(\.modelName) == ["gemini/x", "y"])
        let named = try ProxyConfig.parse(yaml: "- {model_id: codex/a, model_name: b, provider: codex}\n", file: "m")
        #expect(named.models[0].modelName == "b")
        // Our layout still needs a name it cannot derive.
        #expect(throws: ConfigError.self) {
            try ProxyConfig.parse(yaml: "models:\n  - {model_id: mine, provider: codex}\n", file: "m")
        }
    }

    /// tizee's `_resolve_model_format`: `format`, `direct: true`, then a
    /// Gemini-backend provider, then an api_base on anthropic.com, else
    /// openai.
    @Test func theFormatFollowsTizeesRulesWhenNotGiven() throws {
        let config = try ProxyConfig.parse(
            yaml: """
                - {model_id: a, api_base: "https://api.anthropic.com"}
                - {model_id: b, api_base: "https://API.Anthropic.com/v1", direct: false}
                - {model_id: c, api_base: "https://api.anthropic.com", format: openai}
                - {model_id: d, provider: gemini, model_name: gemini-2.5-pro}
                - {model_id: e, provider: antigravity, model_name: gemini-3-flash}
                - {model_id: f, api_base: "https://api.deepseek.com/v1"}
                - {model_id: g, api_base: "https://example.com/v1", direct: true}

                """, file: "m")
        #expect(
            config.models.map(\.format) == [.anthropic, .anthropic, .openai, .gemini, .gemini, .openai, .anthropic])
        // Our layout: `direct` opts in to the same rules; else `format` is needed.
        let ours = try ProxyConfig.parse(
            yaml: "models:\n  - {model_id: a, model_name: m, api_base: \"https://api.anthropic.com\", direct: false}\n",
            file: "m")
        #expect(ours.models[0].format == .anthropic)
        #expect(throws: ConfigError.self) {
            try ProxyConfig.parse(
                yaml: "models:\n  - {model_id: a, model_name: m, api_base: \"https://api.anthropic.com\"}\n", file: "m")
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
        let config = try ProxyConfig.parse(
            yaml: TizeeModelsFixture.yaml, file: "tizee.yaml", environment: TizeeModelsFixture.environment)
        let gemini = try #require(config.model(id: "gemini-2.5-pro")).routeOptions(requestedModel: "x")
        #expect(gemini.canStream == false && !gemini.upstreamStreams)
        #expect(gemini.json["can_stream"] == .bool(false))
        let deepseek = try #require(config.model(id: "deepseek-chat")).routeOptions(requestedModel: "x")
        #expect(deepseek.canStream == nil && deepseek.upstreamStreams && deepseek.json["can_stream"] == nil)
    }
}
