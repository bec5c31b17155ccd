import Cassette
import Foundation
import Testing

@testable import Proxy

/// `proxy config print` and subscription logins: the file's entries are
/// printed, not those a login adds (a comment names them), and a login's
/// token is never printed, with `--show-api-keys` either; so `config print >
/// models.yaml` bakes neither login entries nor tokens into a config.
@Suite struct ConfigPrintLoginsTests {
    static let codexToken = "codex-access-token-SECRET"
    static let claudeToken = "sk-ant-oat01-claude-SECRET"

    static let yaml = """
        models:
          - model_id: main
            model_name: up-main
            api_base: http://127.0.0.1:9/v1
            format: openai
            api_key: sk-file-key
          - model_id: codex/gpt-5.2-codex
            model_name: gpt-5.2-codex
            provider: codex
            reasoning_effort: high

        """

    private static func store() throws -> (AuthStore, String) {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("print-logins-\(UUID())")
        let store = AuthStore(path: directory + "/auth.json")
        try store.save(ProviderCredentials(accessToken: codexToken), for: .codex)
        try store.save(ProviderCredentials(accessToken: claudeToken), for: .claudeCode)
        return (store, directory)
    }

    @Test func aLoginsEntriesAreNamedInACommentNotPrinted() throws {
        let config = try ProxyConfig.parse(yaml: Self.yaml, file: "m.yaml")
        let text = EffectiveConfigPrinter(showAPIKeys: true).render(config, logins: [.codex, .claudeCode])
        #expect(
            text.contains(
                "# Not printed: the entries logins add when this file is loaded, "
                    + "codex (codex/gpt-5.2, codex/gpt-5.1-codex-max, codex/gpt-5.1-codex-mini); "
                    + "claude-code (claude-code/claude-opus-4-5, claude-code/claude-sonnet-4-5, "
                    + "claude-code/claude-haiku-4-5)."), "\(text)")
        #expect(text.components(separatedBy: "  - model_id: ").count == 3)
        #expect(text.contains("    api_key: sk-file-key"))
        #expect(text.contains("    api_key: null  # the codex login's token"))
        // What is printed loads back to the same entries.
        let again = try ProxyConfig.parse(yaml: text, file: "printed.yaml")
        #expect(again.models.map(\.modelID) == ["main", "codex/gpt-5.2-codex"])
    }

    @Test func aLoginsTokenIsNeverPrintedEvenWithKeysShown() throws {
        let (store, directory) = try Self.store()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let applied = try ProxyConfig.parse(yaml: Self.yaml, file: "m.yaml").applyingSubscriptions(
            from: store, environment: [:])
        #expect(applied.models.contains { $0.apiKey?.value == Self.claudeToken })
        for showAPIKeys in [false, true] {
            let text = EffectiveConfigPrinter(showAPIKeys: showAPIKeys).render(applied)
            #expect(!text.contains(Self.codexToken) && !text.contains(Self.claudeToken), "\(text)")
            #expect(!text.contains(Redactor.fingerprint(Self.claudeToken)))
        }
    }
}
