import Foundation
import Testing

@testable import Proxy

/// `auth.json`: created 0600 in a 0700 directory, replaced atomically,
/// refused when others may read it, and never shown with its tokens.
@Suite struct AuthStoreTests {
    private static let token = "sk-ant-oat01-test-secret-token"

    private static func scratch() -> String {
        (NSTemporaryDirectory() as NSString).appendingPathComponent("auth-tests-\(UUID().uuidString)")
    }

    private static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int) ?? -1
    }

    @Test func aLoginIsWrittenOwnerOnlyAndReadBack() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/switchboard/auth.json")
        #expect(try store.load().isEmpty)
        let logins = SubscriptionLogins(store: store)
        _ = try logins.loginClaudeCode(token: "  \(Self.token)\n")
        #expect(try Self.mode(store.path) == 0o600)
        #expect(try Self.mode(directory + "/switchboard") == 0o700)
        #expect(try store.credentials(for: .claudeCode) == ProviderCredentials(accessToken: Self.token))
        // Replaced by rename: no temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory + "/switchboard") == ["auth.json"])
        #expect(try logins.logout(.claudeCode))
        #expect(try !logins.logout(.claudeCode))
        #expect(try store.load().isEmpty)
    }

    @Test func aFileOthersMayReadIsRefusedWithTheFix() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        try store.save(ProviderCredentials(accessToken: Self.token), for: .claudeCode)
        chmod(store.path, 0o644)
        #expect(throws: AuthStore.Failure.self) { try store.load() }
        do {
            _ = try store.load()
        } catch {
            #expect(error.description.contains("chmod 600 \(store.path)"))
            #expect(error.description.contains("644"))
        }
        // Config loading carries on without the logins, saying why.
        let yaml = "models:\n  - {model_id: a, model_name: m, api_base: \"http://127.0.0.1:9/v1\", format: openai}\n"
        let config = try ProxyConfig.parse(yaml: yaml, file: "m.yaml").applyingSubscriptions(from: store)
        #expect(config.models.map(\.modelID) == ["a"])
        #expect(config.warnings.contains { $0.message.contains("chmod 600") })
        // The file named once, and no second "warning:" in a log line whose level says it.
        let warning = try #require(config.warnings.first)
        #expect(warning.description.hasPrefix("\(store.path): warning: holds login tokens but its mode is 644"))
        #expect(warning.logMessage.hasPrefix("\(store.path): holds login tokens"))
    }

    @Test func anExpiryNoClockReachesIsReportedWithoutTrapping() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try store.save(
            ProviderCredentials(accessToken: Self.token, expiresAt: now.addingTimeInterval(1e300)), for: .claudeCode)
        let far = try SubscriptionLogins(store: store).report(now: now)
        #expect(far.contains("token: expires at "))
        #expect(far.contains("(in 16666666666666 min)"))
        try store.save(
            ProviderCredentials(accessToken: Self.token, expiresAt: now.addingTimeInterval(-90)), for: .claudeCode)
        #expect(try SubscriptionLogins(store: store).report(now: now).contains("(refreshed on the next request)"))
    }

    @Test func nothingShownHoldsTheToken() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        let logins = SubscriptionLogins(store: store)
        let credentials = try logins.loginClaudeCode(token: Self.token)
        let report = try logins.report()
        #expect(!report.contains(Self.token) && !"\(credentials)".contains(Self.token))
        #expect(report.contains("claude-code: Claude Code (Claude plan)\n  logged in\n  token: does not expire"))
        #expect(report.contains("claude-code/claude-sonnet-4-5"))
        #expect(report.contains("codex: Codex (ChatGPT plan)\n  not logged in (`proxy login --codex`)"))
        #expect(
            report.contains(
                "gemini: Gemini Code Assist (Google account)\n  not logged in (`proxy login --gemini`)"))
        #expect(
            report.contains(
                "antigravity: Antigravity (Google account)\n  not logged in (`proxy login --antigravity`)"))
        // A refused paste is not echoed back.
        #expect(throws: SubscriptionLogins.Refusal.self) { try logins.loginClaudeCode(token: "sk-live-not-claude") }
        do {
            _ = try logins.loginClaudeCode(token: "sk-live-not-claude")
        } catch {
            #expect(!"\(error)".contains("sk-live-not-claude"))
        }
    }

    /// An Anthropic API key, or any sk-ant- token that is not a setup token,
    /// was stored and "Logged in" printed, though the refusal itself says
    /// the token starts with sk-ant-oat: the login then failed on first use.
    @Test func onlySetupTokensAreTakenForClaudeCode() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = AuthStore(path: directory + "/auth.json")
        let logins = SubscriptionLogins(store: store)
        let apiKey = "sk-ant-api03-secret-key"
        #expect(
            throws: SubscriptionLogins.Refusal(
                description: "that is an Anthropic API key, not a Claude Code token (those start with sk-ant-oat, "
                    + "as `claude setup-token` prints them); use the key as a route's api_key instead")
        ) { try logins.loginClaudeCode(token: apiKey) }
        #expect(
            throws: SubscriptionLogins.Refusal(
                description: "that is not a Claude token (it should start with sk-ant-oat, as `claude setup-token` "
                    + "prints it, on one line)")
        ) { try logins.loginClaudeCode(token: "sk-ant-sid01-cookie") }
        #expect(try store.credentials(for: .claudeCode) == nil)
        #expect(try logins.loginClaudeCode(token: Self.token).accessToken == Self.token)
    }

    @Test func aBrokenFileSaysHowToMendIt() throws {
        let directory = Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/auth.json"
        _ = FileManager.default.createFile(
            atPath: path, contents: Data(#"{"claude-code":{"token":"\#(Self.token)"}}"#.utf8),
            attributes: [.posixPermissions: 0o600])
        do {
            _ = try AuthStore(path: path).load()
            Issue.record("a file without access_token was read")
        } catch {
            #expect(error.description.contains("not a valid auth file"))
            #expect(error.description.contains("access_token"))
            #expect(!error.description.contains(Self.token))
        }
    }
}
