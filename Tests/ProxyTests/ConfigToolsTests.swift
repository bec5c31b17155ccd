import Cassette
import Foundation
import Testing

@testable import Proxy

/// What `proxy config print|check`, `proxy route` and `proxy config init`
/// print, as library values.
@Suite struct ConfigToolsTests {
    static let yaml = """
        default: main
        aliases:
          "claude-*": main
        models:
          - model_id: main
            model_name: deepseek-chat
            api_base: https://api.deepseek.com/v1
            format: openai
            api_key: ${DEEPSEEK_KEY}
            max_tokens: 8K
            context: 64K
            extra_headers: {Authorization: "Bearer sk-header-secret", X-Title: switchboard}
            extra_body: {service_tier: flex}
          - model_id: fast
            model_name: gpt-4o-mini
            api_base: https://api.openai.com/v1
            format: openai
            aliases: ["claude-*haiku*", "claude-3-*"]
            timeout: 90s
          - model_id: claude
            model_name: "*"
            api_base: https://api.anthropic.com
            format: anthropic
            temperature: 0.5

        """

    static let key = "sk-deepseek-very-secret"

    static func config() throws -> ProxyConfig {
        try ProxyConfig.parse(yaml: yaml, file: "conf/models.yaml", environment: ["DEEPSEEK_KEY": key])
    }

    @Test func printShowsEveryFieldWithKeysAsTheirCassetteFingerprint() throws {
        let text = EffectiveConfigPrinter().render(try Self.config())
        #expect(!text.contains(Self.key))
        #expect(!text.contains("sk-header-secret"))
        #expect(!text.contains("${DEEPSEEK_KEY}"))
        let fingerprint = Redactor.fingerprint(Self.key)
        #expect(fingerprint.wholeMatch(of: /\[redacted:[0-9a-f]{8}\]/) != nil)
        #expect(text.contains("api_key: \"\(fingerprint)\""))
        #expect(text.contains(Redactor.fingerprint("Bearer sk-header-secret")))
        // Defaults filled in, for every entry.
        #expect(text.components(separatedBy: "    timeout: 10m").count == 3)
        #expect(text.contains("    timeout: 90s"))
        #expect(text.contains("    max_tokens: 8000"))
        #expect(text.contains("    context: 64000"))
        #expect(text.components(separatedBy: "    can_stream: true").count == 4)
        #expect(text.contains("api_key: null  # the client's own key is passed on"))
        #expect(text.contains("    auth: null  # the format's own key header (an sk-ant-oat token: bearer)"))
        #expect(text.contains(#"model_name: "*"  # the client's model name, unchanged"#))
        #expect(text.contains(#"extra_body: {"service_tier":"flex"}"#))
        #expect(text.contains(#"aliases: [claude-*haiku*, claude-3-*]"#) || text.contains(#""claude-*haiku*""#))
    }

    @Test func printWithKeysShowsThemAndLoadsBackTheSame() throws {
        let config = try Self.config()
        let text = EffectiveConfigPrinter(showAPIKeys: true).render(config)
        #expect(text.contains(Self.key))
        let again = try ProxyConfig.parse(yaml: text, file: "printed.yaml")
        #expect(again.models.map(\.modelID) == config.models.map(\.modelID))
        #expect(again.models.map(\.modelName) == config.models.map(\.modelName))
        #expect(again.models.map(\.apiBase) == config.models.map(\.apiBase))
        #expect(again.models.map(\.apiKey) == config.models.map(\.apiKey))
        #expect(again.models.map(\.maxTokens) == config.models.map(\.maxTokens))
        #expect(again.models.map(\.contextWindow) == config.models.map(\.contextWindow))
        #expect(again.models.map(\.timeout) == config.models.map(\.timeout))
        #expect(again.models.map(\.temperature) == config.models.map(\.temperature))
        #expect(again.models.map(\.aliases) == config.models.map(\.aliases))
        #expect(again.models.map(\.extraBody) == config.models.map(\.extraBody))
        #expect(again.models[0].extraHeaders.map(\.value) == config.models[0].extraHeaders.map(\.value))
        #expect(again.aliases == config.aliases)
        #expect(again.defaultModelID == config.defaultModelID)
        #expect(again.warnings.isEmpty)
    }

    @Test func tizeeLayoutPrintsInOursAndLoadsBackTheSame() throws {
        let config = try ProxyConfig.parse(
            yaml: TizeeModelsFixture.yaml, file: "tizee.yaml", environment: TizeeModelsFixture.environment)
        let text = EffectiveConfigPrinter(showAPIKeys: true).render(config)
        #expect(text.contains("    can_stream: false  # the upstream is called without streaming"))
        #expect(text.contains("    provider: codex"))
        let again = try ProxyConfig.parse(yaml: text, file: "printed.yaml")
        #expect(again.models.map(\.modelID) == config.models.map(\.modelID))
        #expect(again.models.map(\.format) == config.models.map(\.format))
        #expect(again.models.map(\.modelName) == config.models.map(\.modelName))
        #expect(again.models.map(\.canStream) == config.models.map(\.canStream))
        #expect(again.models.map(\.provider) == config.models.map(\.provider))
        #expect(again.models.map(\.contextWindow) == config.models.map(\.contextWindow))
        #expect(again.models.map(\.reasoningEffort) == config.models.map(\.reasoningEffort))
        let table = RoutingTable(config: config).render()
        #expect(table.contains("provider codex (no login)"))
        #expect(table.contains("no (synthesized)"))
    }

    /// A redacted print saved as the config once loaded without a word and
    /// sent `[redacted:...]` upstream as the key, for a 401.
    @Test func aRedactedPrintIsRefusedWhereItWouldSendAFingerprintAsAKey() throws {
        let text = EffectiveConfigPrinter().render(try Self.config())
        #expect(text.contains("save that to load it back"))
        let error = #expect(throws: ConfigError.self) { try ProxyConfig.parse(yaml: text, file: "printed.yaml") }
        #expect(
            error?.problem.contains("`api_key` is `\(Redactor.fingerprint(Self.key))`, a key's fingerprint") == true)
        #expect(error?.fix.contains("--show-api-keys") == true)
        let header = """
            models:
              - model_id: a
                model_name: m
                api_base: https://h.example
                format: openai
                extra_headers: {Authorization: "[redacted:0123abcd]"}

            """
        let headerError = #expect(throws: ConfigError.self) { try ProxyConfig.parse(yaml: header, file: "h.yaml") }
        #expect(
            headerError?.problem.contains("`Authorization` is `[redacted:0123abcd]`") == true,
            "\(String(describing: headerError))")
        // Text that only looks alike is a key like any other.
        for key in ["[redacted:0123abc]", "[redacted:0123ABCD]", "x[redacted:0123abcd]", "[redacted:0123abcdd]"] {
            #expect(!Redactor.isFingerprint(key), "\(key)")
        }
        #expect(Redactor.isFingerprint(Redactor.fingerprint(Self.key)))
    }

    @Test func routingTableListsEntriesAliasesInMatchOrderAndTheDefault() throws {
        let text = RoutingTable(config: try Self.config()).render()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "conf/models.yaml: 3 models, 3 aliases, default `main`")
        #expect(lines[2].hasPrefix("MODEL ID  FORMAT     UPSTREAM MODEL"))
        let main = try #require(lines.first { $0.hasPrefix("main ") })
        #expect(
            main.split(separator: " ", omittingEmptySubsequences: true).map(String.init) == [
                "main", "openai", "deepseek-chat", "https://api.deepseek.com/v1", "api_key", "8000", "64000", "yes",
            ])
        let claude = try #require(lines.first { $0.hasPrefix("claude ") })
        #expect(claude.contains("(as asked)") && claude.contains("client's") && claude.contains("anthropic"))
        #expect(!text.contains(Self.key))
        let aliasLines = lines.filter { $0.hasPrefix("  claude-") }
        #expect(
            aliasLines.map { $0.split(separator: " ").map(String.init) } == [
                ["claude-*haiku*", "fast"], ["claude-3-*", "fast"], ["claude-*", "main"],
            ])
        #expect(lines.contains("Any other model name goes to `main` (the default)."))
    }

    @Test func routeExplainsExactAliasDefaultAndNothing() throws {
        let router = ModelRouter(config: try Self.config())
        let exact = router.explain(model: "fast").description
        #expect(exact.hasPrefix("`fast` -> entry `fast`: openai at https://api.openai.com/v1 as `gpt-4o-mini`"))
        #expect(exact.contains("it is that entry's model_id"))

        let haiku = router.explain(model: "claude-3-5-haiku-20241022")
        #expect(haiku.route?.entry.modelID == "fast")
        #expect(haiku.matchingAliases.map(\.pattern) == ["claude-*haiku*", "claude-3-*", "claude-*"])
        #expect(haiku.description.contains("it matches the alias `claude-*haiku*`, the most specific"))
        #expect(haiku.description.contains("also: `claude-3-*` (-> fast), `claude-*` (-> main)"))

        let sonnet = router.explain(model: "claude-sonnet-4-5").description
        #expect(sonnet.contains("`claude-sonnet-4-5` -> entry `main`"))
        #expect(sonnet.contains("it matches the alias `claude-*`."))

        let other = router.explain(model: "gpt-4.1").description
        #expect(other.contains("`gpt-4.1` -> entry `main`"))
        #expect(other.contains("no alias matches; `main` is the `default`"))

        let passThrough = router.explain(model: "claude")
        #expect(passThrough.description.contains("anthropic at https://api.anthropic.com as `claude`"))
    }

    @Test func routeWithNothingMatchingSaysWhatToAdd() throws {
        let config = try ProxyConfig.parse(
            yaml: "models:\n  - {model_id: a, model_name: m, api_base: \"http://u\", format: openai}\n",
            file: "m.yaml")
        let explanation = ModelRouter(config: config).explain(model: "claude-opus-4")
        #expect(explanation.route == nil)
        #expect(explanation.description.hasPrefix("`claude-opus-4` is not served: no model_id equals it"))
        #expect(explanation.description.contains("Configured ids: a."))
        #expect(explanation.description.contains("\"claude-*\""))
        #expect(explanation.description.contains("set `default:` in m.yaml"))
    }

    @Test func initWritesTheDefaultKeepsAnExistingFileAndReplacesItWhenForced() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-init-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("nested/models.yaml").path
        #expect(try DefaultConfig.write(to: path, force: false) == .created)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == DefaultConfig.text)
        // Owner-only: the file's comments tell the user to put keys in it.
        let files = FileManager.default
        #expect(try files.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        let folder = (path as NSString).deletingLastPathComponent
        #expect(try files.attributesOfItem(atPath: folder)[.posixPermissions] as? Int == 0o700)
        try Data("models: edited\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try DefaultConfig.write(to: path, force: false) == .keptExisting)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "models: edited\n")
        #expect(try DefaultConfig.write(to: path, force: true) == .replaced)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == DefaultConfig.text)
        #expect(try ProxyConfig.load(path: path).models.map(\.modelID) == ["claude"])
    }

    @Test func unknownFieldsAreWarningsNamingTheLineAndTyposStayErrors() throws {
        let config = try ProxyConfig.parse(
            yaml: """
                models:
                  - model_id: a
                    model_name: m
                    api_base: https://example.com/v1
                    format: openai
                    enable_thinking: true
                colour: blue
                """, file: "conf/models.yaml")
        #expect(
            config.warnings.map(\.description) == [
                "conf/models.yaml:7:1: warning: unknown top-level field `colour` is ignored (known fields: "
                    + ConfigParser.topLevelFields.joined(separator: ", ") + ")",
                "conf/models.yaml:6:5: warning: unknown model entry field `enable_thinking` is ignored (known fields: "
                    + ConfigParser.entryFields.joined(separator: ", ") + ")",
            ])
        #expect(throws: ConfigError.self) {
            try ProxyConfig.parse(
                yaml: "models:\n  - {model_id: a, model_name: m, api_base: \"http://u\", format: openai, apikey: k}\n",
                file: "m.yaml")
        }
    }
}
