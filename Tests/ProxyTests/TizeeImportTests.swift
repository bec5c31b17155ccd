import Foundation
import Testing
import Wire

@testable import Proxy

/// `proxy config import-tizee`'s work: tizee/anthropic-proxy's directory
/// (`~/.config/anthropic-proxy/`: models.yaml, config.json, auth.json)
/// taken over into this proxy's config and auth store, owner-only, with
/// nothing of this proxy's replaced unless forced and no token reported.
@Suite struct TizeeImportTests {
    /// 2026-01-01T00:00:00Z, as tizee stores an expiry: seconds since 1970.
    static let expires: Int64 = 1_767_225_600
    static let codexRefresh = "rt-tizee-codex-secret"
    static let googleAccess = "ya29.tizee-google-secret"
    static let claudeToken = "sk-ant-oat01-tizee-claude-secret"
    static let codexAccess = StubOAuthProvider.jwt(
        ["https://api.openai.com/auth": ["chatgpt_account_id": "acct-from-the-access-token"]], serial: 7)

    /// tizee's auth.json: each login kind as it writes it, and one kind
    /// this proxy has no plan for.
    static let authJSON: JSONValue = [
        "openai": ["access": .string(codexAccess), "refresh": .string(codexRefresh), "expires": .int(expires)],
        "google": [
            "access": .string(googleAccess), "refresh": "1//google-rt|user-project|managed-project",
            "expires": .int(expires),
        ],
        "antigravity": [
            "access": "ya29.antigravity", "refresh": "1//antigravity-rt|ag-project", "expires": .int(expires),
        ],
        "claude-code": ["token": .string(claudeToken)],
        "iflow": ["access": "iflow-secret"],
    ]

    static let settingsJSON: JSONValue = [
        "log_level": "WARNING", "log_file_path": "~/.anthropic-proxy/server.log", "host": "0.0.0.0", "port": 8083,
        "env": ["OPENROUTER_API_KEY": "sk-or-env-secret"],
    ]

    /// A scratch folder holding a tizee directory with `models`, and
    /// `config.json` and `auth.json` when given; removed after `body`.
    static func withTizee(
        models: String? = TizeeModelsFixture.yaml, settings: JSONValue? = settingsJSON, auth: JSONValue? = authJSON,
        _ body: (_ scratch: URL, _ tizee: TizeeDirectory) async throws -> Void
    ) async throws {
        let scratch = try ExecutableScratch.directory("sb-tizee")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let tizee = TizeeDirectory(path: scratch.appendingPathComponent(".config/anthropic-proxy").path)
        try FileManager.default.createDirectory(atPath: tizee.path, withIntermediateDirectories: true)
        if let models { try Data(models.utf8).write(to: URL(fileURLWithPath: tizee.modelsFile)) }
        if let settings { try Data(settings.serialized()).write(to: URL(fileURLWithPath: tizee.settingsFile)) }
        if let auth { try Data(auth.serialized()).write(to: URL(fileURLWithPath: tizee.authFile)) }
        try await body(scratch, tizee)
    }

    static func importer(_ scratch: URL, _ tizee: TizeeDirectory, force: Bool = false) -> TizeeImport {
        let ours = scratch.appendingPathComponent(".config/switchboard")
        return TizeeImport(
            source: tizee, configPath: ours.appendingPathComponent("models.yaml").path,
            store: AuthStore(path: ours.appendingPathComponent("auth.json").path), force: force)
    }

    static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    static let secrets = [codexAccess, codexRefresh, googleAccess, claudeToken, "iflow-secret", "sk-or-env-secret"]

    @Test func theRoutesBecomeTheConfigOwnerOnlyAndAnExistingOneIsKeptUnlessForced() async throws {
        try await Self.withTizee { scratch, tizee in
            let importer = Self.importer(scratch, tizee)
            let report = importer.run(environment: TizeeModelsFixture.environment)
            #expect(!report.failed, "\(report.lines)")
            let written = try String(contentsOfFile: importer.configPath, encoding: .utf8)
            #expect(written == TizeeImport.header(from: tizee.modelsFile) + TizeeModelsFixture.yaml)
            #expect(try Self.mode(importer.configPath) == 0o600)
            #expect(try Self.mode((importer.configPath as NSString).deletingLastPathComponent) == 0o700)
            let text = report.lines.joined(separator: "\n")
            #expect(text.contains("Routes: wrote \(importer.configPath) (mode 0600) from \(tizee.modelsFile)."))
            #expect(text.contains("It loads: 8 routes."), "\(text)")
            #expect(
                text.contains(
                    "out of requests to deepseek-chat, doubao-seed-1-8-nothinking, doubao-seed-1-8-high, "
                        + "gemini-2.5-pro, example-model (its openai-format routes)"), "\(text)")
            #expect(text.contains("add `rules: [{drop_tools: [WebSearch, NotebookEdit, NotebookRead]}]`"))

            try Data("# mine\n".utf8).write(to: URL(fileURLWithPath: importer.configPath))
            let again = importer.run(environment: TizeeModelsFixture.environment).lines.joined(separator: "\n")
            #expect(again.contains("\(importer.configPath) already exists; left it unchanged. Use --force"))
            #expect(try String(contentsOfFile: importer.configPath, encoding: .utf8) == "# mine\n")

            _ = Self.importer(scratch, tizee, force: true).run(environment: TizeeModelsFixture.environment)
            #expect(try String(contentsOfFile: importer.configPath, encoding: .utf8) == written)
        }
    }

    @Test func aConfigThatDoesNotLoadYetIsWrittenAndSaidSoWithoutQuotingIt() async throws {
        try await Self.withTizee(settings: nil, auth: nil) { scratch, tizee in
            // Its api_key_name names a variable this environment lacks.
            let report = Self.importer(scratch, tizee).run(environment: [:])
            let text = report.lines.joined(separator: "\n")
            #expect(!report.failed)
            #expect(text.contains("It does not load as it is: `proxy config check` says where and why"), "\(text)")
        }
    }

    @Test func theSettingsAreSaidAsServeOptionsAndTheEnvByNameOnly() async throws {
        try await Self.withTizee(auth: nil) { scratch, tizee in
            let text = Self.importer(scratch, tizee).run(environment: TizeeModelsFixture.environment).lines
                .joined(separator: "\n")
            #expect(text.contains("`proxy serve --log-level warning --host 0.0.0.0 --port 8083`"), "\(text)")
            #expect(text.contains("`log_file_path` has no counterpart"))
            #expect(text.contains("`env` set `OPENROUTER_API_KEY` for the proxy"))
            #expect(!text.contains("sk-or-env-secret"))
        }
    }

    @Test func tizeesExpiryIsSecondsSince1970() {
        #expect(TizeeLogin.expiry(.int(Self.expires)) == Date(timeIntervalSince1970: 1_767_225_600))
        #expect(TizeeLogin.expiry(.double(1_767_225_600.5)).timeIntervalSince1970 == 1_767_225_600.5)
        // Missing, as tizee reads it: expired, so refreshed before use.
        #expect(TizeeLogin.expiry(nil) == Date(timeIntervalSince1970: 0))
        #expect(TizeeLogin.expiry("soon") == Date(timeIntervalSince1970: 0))
    }

    @Test func theLoginsAreStoredAsProxyLoginStoresThem() async throws {
        try await Self.withTizee(models: nil, settings: nil) { scratch, tizee in
            let importer = Self.importer(scratch, tizee)
            let report = importer.run()
            #expect(!report.failed, "\(report.lines)")
            let logins = try importer.store.load()
            let expiry = Date(timeIntervalSince1970: TimeInterval(Self.expires))
            #expect(
                logins["codex"]
                    == ProviderCredentials(
                        accessToken: Self.codexAccess, refreshToken: Self.codexRefresh, expiresAt: expiry,
                        account: "acct-from-the-access-token"))
            #expect(
                logins["gemini"]
                    == ProviderCredentials(
                        accessToken: Self.googleAccess, refreshToken: "1//google-rt", expiresAt: expiry,
                        project: "managed-project"))
            #expect(
                logins["antigravity"]
                    == ProviderCredentials(
                        accessToken: "ya29.antigravity", refreshToken: "1//antigravity-rt", expiresAt: expiry,
                        project: "ag-project"))
            #expect(logins["claude-code"] == ProviderCredentials(accessToken: Self.claudeToken))
            #expect(logins.count == 4)
            // On disk, the expiry is in this store's own encoding: seconds
            // since 2001-01-01, so 2026-01-01 is 788,918,400.
            let file = try JSONValue(parsing: [UInt8](try Data(contentsOf: URL(fileURLWithPath: importer.store.path))))
            #expect(file["codex"]?["expires_at"] == .int(788_918_400))
            #expect(try Self.mode(importer.store.path) == 0o600)
            #expect(try Self.mode((importer.store.path as NSString).deletingLastPathComponent) == 0o700)

            let text = report.lines.joined(separator: "\n")
            #expect(
                text.contains(
                    "Logins: imported Codex (ChatGPT plan), account acct-from-the-access-token as `codex` into "
                        + importer.store.path), "\(text)")
            #expect(text.contains("Logins: `iflow`: no plan here is logged in to as tizee's `iflow` is; not imported."))
            #expect(!Self.secrets.contains { text.contains($0) })
        }
    }

    @Test func anExistingLoginIsKeptUnlessForced() async throws {
        try await Self.withTizee(models: nil, settings: nil) { scratch, tizee in
            let importer = Self.importer(scratch, tizee)
            let mine = ProviderCredentials(accessToken: "sk-ant-oat01-mine")
            try importer.store.save(mine, for: .claudeCode)
            let text = importer.run().lines.joined(separator: "\n")
            #expect(text.contains("Logins: kept the Claude Code (Claude plan) login already here; --force replaces it"))
            #expect(try importer.store.credentials(for: .claudeCode) == mine)
            #expect(try importer.store.credentials(for: .codex) != nil)

            _ = Self.importer(scratch, tizee, force: true).run()
            #expect(try importer.store.credentials(for: .claudeCode)?.accessToken == Self.claudeToken)
        }
    }

    @Test func whatCannotBeStoredIsSaid() {
        let noProject = TizeeLogin(key: "google", entry: ["access": "ya29.x", "refresh": "1//rt||"])
        #expect(noProject.credentials?.project == nil)
        #expect(noProject.note?.contains("names no Google Cloud project") == true)
        #expect(noProject.note?.contains("`proxy login --gemini`") == true)

        let apiKey = TizeeLogin(key: "claude-code", entry: ["token": "sk-ant-api03-key"])
        #expect(apiKey.credentials == nil)
        #expect(apiKey.note?.contains("that is an Anthropic API key") == true)
        #expect(apiKey.note?.contains("sk-ant-api03-key") == false)

        let empty = TizeeLogin(key: "openai", entry: ["accountId": "acct"])
        #expect(empty.credentials == nil)
        #expect(empty.note == "holds no token; not imported")

        // A refresh token alone: an expired, empty access token, refreshed
        // before the first request.
        let refreshOnly = TizeeLogin(key: "openai", entry: ["refresh": "rt", "accountId": "acct-stored"])
        #expect(
            refreshOnly.credentials
                == ProviderCredentials(
                    accessToken: "", refreshToken: "rt", expiresAt: Date(timeIntervalSince1970: 0),
                    account: "acct-stored"))
    }

    @Test func noTizeeDirectoryFails() throws {
        let scratch = try ExecutableScratch.directory("sb-tizee")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let tizee = TizeeDirectory(path: scratch.appendingPathComponent("nowhere").path)
        let report = Self.importer(scratch, tizee).run()
        #expect(report.failed)
        #expect(
            report.lines == [
                "error: there is no tizee/anthropic-proxy directory at \(tizee.path); give its place with --from DIR"
            ])
    }
}
