import Foundation

/// What an OAuth 2 provider's login needs to know: its client id, where it
/// authorizes and issues tokens, the redirect URI it has registered for the
/// client, and what else its authorize and refresh requests carry. One
/// value per provider (``codex(environment:)``, ``gemini(environment:)``,
/// ``antigravity(environment:)``); ``OAuthLogin`` and
/// ``OAuthSession`` are written once for all of them.
public struct OAuthProviderSettings: Sendable {
    /// Which provider's login this is.
    public var provider: SubscriptionProvider
    /// The OAuth client id of the provider's own CLI.
    public var clientID: String
    /// The client secret of an installed-app client (Google's), which is
    /// no secret (it ships in the CLI) but its token endpoint requires;
    /// nil when the client has none (Codex's).
    public var clientSecret: String? = nil
    /// Where the user is sent to log in.
    public var authorizeURL: String
    /// Where a code (and later a refresh token) is exchanged for tokens.
    public var tokenURL: String
    /// Where the provider sends the browser back: a loopback address the
    /// login's callback server listens on. Port 0 (tests) takes a free port,
    /// put into the URI once bound.
    public var redirectURI: String
    /// The `scope` asked for.
    public var scope: String
    /// Further query parameters of the authorize URL, in order.
    public var extraAuthorizeParameters: [(name: String, value: String)]
    /// Whether a refresh request names the redirect URI too (Codex's does).
    public var redirectURIOnRefresh: Bool
    /// The account a token response belongs to, as the provider names it;
    /// nil when the response does not say.
    public var account: @Sendable (_ grant: OAuthTokenGrant) -> String?

    /// An access token is refreshed when it has less than this left, so a
    /// request never starts with a token about to lapse.
    public static let refreshMargin: TimeInterval = 300

    /// Codex (a ChatGPT plan), as the Codex CLI logs in.
    /// `SWITCHBOARD_CODEX_AUTH_BASE` replaces `https://auth.openai.com` (both
    /// `/oauth/authorize` and `/oauth/token` go under it) and
    /// `SWITCHBOARD_CODEX_REDIRECT_URI` the registered redirect URI, for
    /// tests and gateways.
    public static func codex(environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        let base = value("SWITCHBOARD_CODEX_AUTH_BASE", environment) ?? "https://auth.openai.com"
        return OAuthProviderSettings(
            provider: .codex, clientID: "app_EMoamEEZ73f0CkXaXp7hrann", authorizeURL: base + "/oauth/authorize",
            tokenURL: base + "/oauth/token",
            redirectURI: value("SWITCHBOARD_CODEX_REDIRECT_URI", environment) ?? "http://localhost:1455/auth/callback",
            scope: "openid profile email offline_access",
            extraAuthorizeParameters: [
                ("id_token_add_organizations", "true"), ("codex_cli_simplified_flow", "true"),
                ("originator", CodexBackend.originator),
            ],
            redirectURIOnRefresh: true,
            account: { grant in
                // The ChatGPT account the backend bills, a claim of the
                // id token (and of the access token, which a refresh
                // answer may carry alone).
                for token in [grant.idToken, grant.accessToken].compactMap({ $0 }) {
                    let claims = JWTClaims.payload(of: token)?["https://api.openai.com/auth"]
                    if let account = claims?["chatgpt_account_id"]?.stringValue { return account }
                }
                return nil
            })
    }

    /// Gemini Code Assist (a Google account), as the Gemini CLI logs in:
    /// Google's installed-app client with an offline grant (a refresh
    /// token) and consent asked each time (so one is issued).
    /// `SWITCHBOARD_GEMINI_AUTH_BASE` replaces both Google hosts
    /// (`/o/oauth2/v2/auth` and `/token` go under it) and
    /// `SWITCHBOARD_GEMINI_REDIRECT_URI` the registered redirect URI.
    public static func gemini(environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        google(
            .gemini, clientID: "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
            clientSecret: "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",
            redirectURI: "http://localhost:8085/oauth2callback",
            extraScopes: [], environment: environment)
    }

    /// Antigravity (a Google account), as the Antigravity IDE logs in:
    /// Google's login like ``gemini(environment:)``, with the IDE's
    /// installed-app client, its redirect URI and its further scopes.
    /// `SWITCHBOARD_ANTIGRAVITY_AUTH_BASE` and
    /// `SWITCHBOARD_ANTIGRAVITY_REDIRECT_URI` point it elsewhere.
    public static func antigravity(environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        google(
            .antigravity,
            clientID: "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com",
            clientSecret: "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",
            redirectURI: "http://localhost:51121/oauth-callback",
            extraScopes: [
                "https://www.googleapis.com/auth/cclog",
                "https://www.googleapis.com/auth/experimentsandconfigs",
            ], environment: environment)
    }

    /// A login with Google for `provider`: `SWITCHBOARD_<PROVIDER>_AUTH_BASE`
    /// replaces both Google hosts and `SWITCHBOARD_<PROVIDER>_REDIRECT_URI`
    /// the registered redirect URI.
    private static func google(
        _ provider: SubscriptionProvider, clientID: String, clientSecret: String, redirectURI: String,
        extraScopes: [String], environment: [String: String]
    ) -> Self {
        let base = value("SWITCHBOARD_\(provider.environmentName)_AUTH_BASE", environment)
        return OAuthProviderSettings(
            provider: provider, clientID: clientID, clientSecret: clientSecret,
            authorizeURL: (base ?? "https://accounts.google.com") + "/o/oauth2/v2/auth",
            tokenURL: (base ?? "https://oauth2.googleapis.com") + "/token",
            redirectURI: value("SWITCHBOARD_\(provider.environmentName)_REDIRECT_URI", environment)
                ?? redirectURI,
            scope: ([
                "https://www.googleapis.com/auth/cloud-platform",
                "https://www.googleapis.com/auth/userinfo.email",
                "https://www.googleapis.com/auth/userinfo.profile",
            ] + extraScopes).joined(separator: " "),
            extraAuthorizeParameters: [("access_type", "offline"), ("prompt", "consent")],
            redirectURIOnRefresh: false,
            account: { grant in
                // The Google account's address, a claim of the id token
                // Google issues with the userinfo scopes.
                grant.idToken.flatMap { JWTClaims.payload(of: $0)?["email"]?.stringValue }
            })
    }

    /// The settings of `provider`'s OAuth login; nil for a provider that
    /// does not log in with OAuth here.
    public static func of(
        _ provider: SubscriptionProvider, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Self? {
        switch provider {
        case .codex: codex(environment: environment)
        case .gemini: gemini(environment: environment)
        case .antigravity: antigravity(environment: environment)
        case .claudeCode: nil
        }
    }

    private static func value(_ name: String, _ environment: [String: String]) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }
}
