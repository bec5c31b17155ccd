import Foundation
import Wire

/// One entry of tizee/anthropic-proxy's `auth.json`, as a login here.
///
/// tizee keys its logins `openai` (Codex), `google` (Gemini Code Assist),
/// `antigravity` and `claude-code`. An OAuth entry holds `access`,
/// `refresh` and `expires` (seconds since 1970, as `int(time.time() +
/// expires_in)`); Codex's also `accountId`; Google's refresh is
/// `TOKEN|PROJECT|MANAGED_PROJECT` and Antigravity's `TOKEN|PROJECT`, the
/// project riding along. Claude Code's holds the setup token as `token`.
/// Its description never shows a token.
public struct TizeeLogin: Sendable, CustomStringConvertible {
    /// tizee's key for the entry.
    public var key: String
    /// The plan it is a login to here; nil when there is none.
    public var provider: SubscriptionProvider?
    /// The login to store; nil when the entry cannot be imported.
    public var credentials: ProviderCredentials?
    /// What the user should know besides: why it is not imported, or what
    /// is missing from it. Never a token.
    public var note: String?

    /// tizee's keys, and the plans they are logins to here.
    public static let providers: [String: SubscriptionProvider] = [
        "openai": .codex, "google": .gemini, "antigravity": .antigravity, "claude-code": .claudeCode,
    ]

    /// Every entry of tizee's `auth.json`, in the file's order.
    public static func entries(in file: JSONValue) -> [TizeeLogin] {
        (file.objectValue ?? JSONObject()).map { member in
            TizeeLogin(key: member.key, entry: member.value)
        }
    }

    /// The entry `key` holds.
    public init(key: String, entry: JSONValue) {
        self.key = key
        provider = Self.providers[key]
        switch provider {
        case nil:
            note = "no plan here is logged in to as tizee's `\(key)` is; not imported"
        case .claudeCode?:
            do {
                credentials = ProviderCredentials(
                    accessToken: try SubscriptionLogins.claudeCodeToken(entry["token"]?.stringValue ?? ""))
            } catch {
                note = "not imported: \(error.description)"
            }
        case let oauth?:
            (credentials, note) = Self.oauthLogin(entry, provider: oauth)
        }
    }

    /// When an access token tizee stored stops working: its `expires`,
    /// seconds since 1970. An entry without one (or with something else
    /// there) is expired, as tizee reads it, so the token is refreshed
    /// before its first use.
    public static func expiry(_ expires: JSONValue?) -> Date {
        Date(timeIntervalSince1970: expires?.doubleValue ?? 0)
    }

    private static func oauthLogin(
        _ entry: JSONValue, provider: SubscriptionProvider
    ) -> (ProviderCredentials?, String?) {
        let access = entry["access"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let refreshField = entry["refresh"]?.stringValue ?? ""
        // Only Google's logins carry the project after the refresh token.
        let refreshParts =
            provider.usesCodeAssist
            ? refreshField.split(separator: "|", omittingEmptySubsequences: false).map(String.init) : [refreshField]
        let refresh = refreshParts.first.flatMap { $0.isEmpty ? nil : $0 }
        guard access != nil || refresh != nil else { return (nil, "holds no token; not imported") }
        // Without an access token, an empty one that has expired: the
        // first request refreshes it.
        var login = ProviderCredentials(
            accessToken: access ?? "", refreshToken: refresh,
            expiresAt: access == nil ? Date(timeIntervalSince1970: 0) : expiry(entry["expires"]))
        var notes: [String] = []
        if refresh == nil {
            notes.append("it has no refresh token, so it works until its access token expires")
        }
        switch provider {
        case .codex:
            // tizee reads the account from the access token when it has not
            // stored it, as the login here does.
            login.account =
                entry["accountId"]?.stringValue
                ?? access.flatMap {
                    OAuthProviderSettings.codex(environment: [:]).account(OAuthTokenGrant(accessToken: $0))
                }
        case .gemini, .antigravity:
            // Gemini's managed project (the third part) wins, as in tizee.
            let candidates = provider == .gemini ? [2, 1] : [1]
            login.project = candidates.lazy.compactMap { refreshParts.indices.contains($0) ? refreshParts[$0] : nil }
                .first { !$0.isEmpty }
            if login.project == nil {
                notes.append(
                    "it names no Google Cloud project, which requests need: run `proxy login --\(provider.rawValue)`")
            }
        case .claudeCode: break
        }
        return (login, notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    public var description: String {
        "TizeeLogin(\(key), \(credentials.map { "\($0)" } ?? "not imported"))"
    }
}
