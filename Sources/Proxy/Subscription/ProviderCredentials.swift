import Foundation

/// One provider's login as ``AuthStore`` keeps it. Its description never
/// shows a token.
public struct ProviderCredentials: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The token requests carry (an OAuth access token, or Claude Code's
    /// setup token).
    public var accessToken: String
    /// Exchanged for a new access token when it expires (OAuth logins).
    public var refreshToken: String?
    /// When ``accessToken`` stops working; nil when it does not expire.
    public var expiresAt: Date?
    /// Who is logged in, as the provider names the account (an email, an
    /// account id), when known.
    public var account: String?
    /// The Google Cloud project Code Assist bills (Gemini, Antigravity).
    public var project: String?

    public init(
        accessToken: String, refreshToken: String? = nil, expiresAt: Date? = nil, account: String? = nil,
        project: String? = nil
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.account = account
        self.project = project
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case expiresAt = "expires_at"
        case account
        case project
    }

    public var description: String {
        "ProviderCredentials(account: \(account ?? "unknown"), expires: \(expiresAt.map { "\($0)" } ?? "never"))"
    }
}
