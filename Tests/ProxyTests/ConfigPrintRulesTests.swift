import Cassette
import Testing

@testable import Proxy

/// `rules:` in what `proxy config print` and `proxy config check` show: the
/// printed config loads back with the same rules, and a secret header value
/// a rule sets is not shown.
@Suite struct ConfigPrintRulesTests {
    static let secret = "Bearer sk-rule-secret"

    static let yaml = """
        rules:
          - drop_tools: [WebSearch, "Notebook*"]
          - set_headers: {x-team: infra}
        models:
          - model_id: main
            model_name: deepseek-chat
            api_base: https://api.deepseek.com/v1
            format: openai
            rules:
              - set: {/temperature: 0.2, /metadata/tags: ["a", 1]}
              - remove: [/metadata/user_id]
              - system_prepend: "Answer in English: briefly."
              - set_headers: {Authorization: "\(secret)"}
              - remove_headers: [anthropic-beta]
          - model_id: plain
            model_name: gpt-4o-mini
            api_base: https://api.openai.com/v1
            format: openai

        """

    /// Redacted, the print shows a secret header's fingerprint, which is
    /// refused when loaded (it would go upstream as the header's value).
    @Test func printedRulesShowSecretHeaderValuesRedacted() throws {
        let config = try ProxyConfig.parse(yaml: Self.yaml, file: "rules.yaml")
        let text = EffectiveConfigPrinter().render(config)
        #expect(!text.contains("sk-rule-secret"))
        #expect(text.contains(Redactor.fingerprint(Self.secret)))
        #expect(text.contains("  - set_headers: {x-team: infra}"))
        let error = #expect(throws: ConfigError.self) { try ProxyConfig.parse(yaml: text, file: "printed.yaml") }
        #expect(error?.problem.contains("`Authorization` is `\(Redactor.fingerprint(Self.secret))`") == true)
    }

    @Test func printedWithKeysLoadsBackEveryRuleAsItWas() throws {
        let config = try ProxyConfig.parse(yaml: Self.yaml, file: "rules.yaml")
        let text = EffectiveConfigPrinter(showAPIKeys: true).render(config)
        let again = try ProxyConfig.parse(yaml: text, file: "printed.yaml")
        #expect(again.rules == config.rules)
        #expect(again.models.map(\.rules) == config.models.map(\.rules))
        #expect(config.models[0].rules.body.count == 5)
    }

    @Test func checkListsEachEntrysRulesWithoutSecrets() throws {
        let table = RoutingTable(config: try ProxyConfig.parse(yaml: Self.yaml, file: "rules.yaml")).render()
        let lines = table.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("main set: {/temperature: 0.2}"))
        #expect(lines.contains("main remove_headers: [anthropic-beta]"))
        #expect(lines.contains("plain drop_tools: [WebSearch, \"Notebook*\"]"))
        #expect(!table.contains("sk-rule-secret"))
    }
}
