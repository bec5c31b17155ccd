import Foundation
import Wire

/// A token endpoint's answer (RFC 6749 §5.1): the tokens and how long the
/// access token lasts. Its description never shows a token.
public struct OAuthTokenGrant: Sendable, CustomStringConvertible {
    public var accessToken: String
    /// Absent when the provider keeps the refresh token it issued before.
    public var refreshToken: String?
    /// The OpenID Connect id token, when `openid` was asked for.
    public var idToken: String?
    /// Seconds the access token lasts, when the answer says.
    public var expiresIn: TimeInterval?

    public init(
        accessToken: String, refreshToken: String? = nil, idToken: String? = nil, expiresIn: TimeInterval? = nil
    ) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.idToken = idToken
        self.expiresIn = expiresIn
    }

    /// Reads a token answer; nil when it has no access token.
    init?(json: JSONValue) {
        guard let access = json["access_token"]?.stringValue, !access.isEmpty else { return nil }
        accessToken = access
        refreshToken = json["refresh_token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        idToken = json["id_token"]?.stringValue
        expiresIn = json["expires_in"]?.doubleValue
    }

    /// The login to store: this grant's tokens, the refresh token of
    /// `previous` when the provider did not rotate it, an expiry from
    /// `now`, and the account as `settings` reads it (else the previous one).
    func credentials(
        settings: OAuthProviderSettings, previous: ProviderCredentials? = nil, now: Date = Date()
    ) -> ProviderCredentials {
        ProviderCredentials(
            accessToken: accessToken, refreshToken: refreshToken ?? previous?.refreshToken,
            // Without `expires_in`, an hour, the usual lifetime; a 401
            // refreshes it sooner if need be.
            expiresAt: now.addingTimeInterval(expiresIn ?? 3600),
            account: settings.account(self) ?? previous?.account, project: previous?.project)
    }

    public var description: String { "OAuthTokenGrant(expires in: \(expiresIn.map { "\($0)s" } ?? "unknown"))" }
}
