import Crypto
import Foundation
import NIOConcurrencyHelpers
import TestSupport

@testable import Proxy

/// An OAuth 2 provider as Codex's (auth.openai.com) behaves, for a
/// ``StubHTTPServer``'s `replyFor`: `GET /oauth/authorize` checks the client,
/// the registered redirect URI, PKCE (S256) and scope, then redirects to the
/// callback with a one-time code and the `state`; `POST /oauth/token`
/// exchanges the code only with the verifier whose SHA-256 is the challenge,
/// for the same client and redirect URI, and refreshes only with the latest
/// refresh token (rotation: a used one is refused, as a provider that
/// detects reuse does). Tokens are JWT-shaped with the ChatGPT account claim.
/// With the ``Profile/google`` profile it is Google's (accounts.google.com
/// and oauth2.googleapis.com) as the Gemini CLI's installed-app client
/// meets it: its client secret on every token request, an offline grant
/// asked with consent, no redirect URI on refresh; ``Profile/antigravity``
/// is Google's for the Antigravity IDE's client.
final class StubOAuthProvider: Sendable {
    static let clientID = "app_EMoamEEZ73f0CkXaXp7hrann"
    static let account = "acct-stub-1234"
    static let email = "user@example.com"

    /// What one provider's endpoints check.
    struct Profile: Sendable {
        var clientID: String
        var clientSecret: String?
        var authorizePath: String
        var tokenPath: String
        var callbackPath: String
        var scope: String
        var authorizeParameters: [String: String]
        var redirectURIOnRefresh: Bool

        static let codex = Profile(
            clientID: StubOAuthProvider.clientID, clientSecret: nil, authorizePath: "/oauth/authorize",
            tokenPath: "/oauth/token", callbackPath: "/auth/callback", scope: "openid profile email offline_access",
            authorizeParameters: [
                "id_token_add_organizations": "true", "codex_cli_simplified_flow": "true", "originator": "codex_cli_rs",
            ], redirectURIOnRefresh: true)

        /// Google's, for the Gemini CLI's client (public in its source).
        static let google = Profile(
            clientID: "681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com",
            clientSecret: "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", authorizePath: "/o/oauth2/v2/auth",
            tokenPath: "/token", callbackPath: "/oauth2callback",
            scope: "https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email "
                + "https://www.googleapis.com/auth/userinfo.profile",
            authorizeParameters: ["access_type": "offline", "prompt": "consent"],
            redirectURIOnRefresh: false)

        /// Google's, for the Antigravity IDE's client: its own client, its
        /// callback path and two further scopes.
        static let antigravity = Profile(
            clientID: "1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com",
            clientSecret: "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", authorizePath: google.authorizePath,
            tokenPath: google.tokenPath, callbackPath: "/oauth-callback",
            scope: google.scope + " https://www.googleapis.com/auth/cclog "
                + "https://www.googleapis.com/auth/experimentsandconfigs",
            authorizeParameters: google.authorizeParameters, redirectURIOnRefresh: false)
    }

    struct State {
        var codes: [String: (challenge: String, redirectURI: String)] = [:]
        var refreshToken: String?
        var serial = 0
        var exchanges = 0
        var refreshes = 0
        /// Problems found in requests, which a test expects to be none.
        var rejections: [String] = []
        var accessTokens: [String] = []
        var refreshTokens: [String] = []
    }

    let state = NIOLockedValueBox(State())
    /// `expires_in` of the tokens issued.
    let lifetime: Int
    /// Refused refreshes (a revoked login).
    let refusesRefresh: Bool
    let profile: Profile

    init(lifetime: Int = 3600, refusesRefresh: Bool = false, profile: Profile = .codex) {
        self.lifetime = lifetime
        self.refusesRefresh = refusesRefresh
        self.profile = profile
    }

    var refreshes: Int { state.withLockedValue { $0.refreshes } }
    var exchanges: Int { state.withLockedValue { $0.exchanges } }
    var rejections: [String] { state.withLockedValue { $0.rejections } }
    /// Every token issued, to look for in logs and files.
    var issuedTokens: [String] { state.withLockedValue { $0.accessTokens + $0.refreshTokens } }

    /// The reply for an OAuth path; nil for any other.
    func reply(_ request: StubHTTPServer.ReceivedRequest) -> StubHTTPServer.Reply? {
        switch (request.method, request.path) {
        case ("GET", profile.authorizePath): authorize(Self.form(request.query ?? ""))
        case ("POST", profile.tokenPath):
            token(Self.form(request.bodyText), contentType: request.header("content-type"))
        default: nil
        }
    }

    private func authorize(_ query: [String: String]) -> StubHTTPServer.Reply {
        let checks: [(Bool, String)] =
            [
                (query["response_type"] == "code", "response_type is not code"),
                (query["client_id"] == profile.clientID, "unknown client_id"),
                (isRegistered(query["redirect_uri"]), "redirect_uri is not registered"),
                (query["code_challenge_method"] == "S256", "code_challenge_method is not S256"),
                ((query["code_challenge"] ?? "").count == 43, "no S256 code_challenge"),
                ((query["state"] ?? "").count >= 16, "no state"),
                (query["scope"] == profile.scope, "wrong scope"),
            ]
            + profile.authorizeParameters.sorted { $0.key < $1.key }.map { (query[$0.key] == $0.value, "no \($0.key)") }
        if let failed = checks.first(where: { !$0.0 }) { return reject(400, "invalid_request", failed.1) }
        let code = state.withLockedValue { state in
            state.serial += 1
            let code = "code-\(state.serial)-\(UUID().uuidString)"
            state.codes[code] = (query["code_challenge"]!, query["redirect_uri"]!)
            return code
        }
        let location = query["redirect_uri"]! + "?code=\(code)&scope=openid&state=" + Self.encoded(query["state"]!)
        return StubHTTPServer.Reply(status: 302, headers: [("location", location)])
    }

    private func token(_ form: [String: String], contentType: String?) -> StubHTTPServer.Reply {
        guard contentType?.hasPrefix("application/x-www-form-urlencoded") == true else {
            return reject(400, "invalid_request", "not a form")
        }
        guard form["client_id"] == profile.clientID, form["client_secret"] == profile.clientSecret else {
            return reject(401, "invalid_client", "unknown client_id or wrong client_secret")
        }
        switch form["grant_type"] {
        case "authorization_code":
            let pending = state.withLockedValue { $0.codes.removeValue(forKey: form["code"] ?? "") }
            guard let pending else { return reject(400, "invalid_grant", "unknown or used code") }
            guard form["redirect_uri"] == pending.redirectURI else {
                return reject(400, "invalid_grant", "redirect_uri differs from the authorization's")
            }
            let digest = Data(SHA256.hash(data: Data((form["code_verifier"] ?? "").utf8)))
            let challenge = digest.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            guard challenge == pending.challenge else {
                return reject(400, "invalid_grant", "code_verifier does not match the challenge")
            }
            state.withLockedValue { $0.exchanges += 1 }
            return issue()
        case "refresh_token":
            guard !profile.redirectURIOnRefresh || isRegistered(form["redirect_uri"]) else {
                return reject(400, "invalid_request", "refresh without the redirect_uri")
            }
            let current = state.withLockedValue { $0.refreshToken }
            guard !refusesRefresh, let current, form["refresh_token"] == current else {
                return reject(400, "invalid_grant", "refresh token is invalid, revoked or already used")
            }
            state.withLockedValue { $0.refreshes += 1 }
            return issue()
        default:
            return reject(400, "unsupported_grant_type", "unknown grant_type")
        }
    }

    /// A login as if made earlier, expiring at `expiresAt`: tokens this
    /// provider issued (so its refresh token is the one it accepts).
    func earlierLogin(expiresAt: Date) -> ProviderCredentials {
        _ = issue()
        return state.withLockedValue { state in
            ProviderCredentials(
                accessToken: state.accessTokens.last!, refreshToken: state.refreshToken, expiresAt: expiresAt,
                account: Self.account)
        }
    }

    /// New tokens; the refresh token rotates.
    private func issue() -> StubHTTPServer.Reply {
        let (access, refresh, id) = state.withLockedValue { state in
            state.serial += 1
            let access = Self.jwt(
                ["https://api.openai.com/auth": ["chatgpt_account_id": Self.account]], serial: state.serial)
            let refresh = "rt-stub-\(state.serial)-\(UUID().uuidString)"
            state.refreshToken = refresh
            state.accessTokens.append(access)
            state.refreshTokens.append(refresh)
            let id = Self.jwt(
                ["email": Self.email, "https://api.openai.com/auth": ["chatgpt_account_id": Self.account]],
                serial: state.serial)
            return (access, refresh, id)
        }
        let body: [String: Any] = [
            "access_token": access, "refresh_token": refresh, "id_token": id, "expires_in": lifetime,
            "token_type": "Bearer",
        ]
        return .json(200, String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self))
    }

    private func reject(_ status: Int, _ error: String, _ description: String) -> StubHTTPServer.Reply {
        state.withLockedValue { $0.rejections.append(description) }
        return .json(status, #"{"error":"\#(error)","error_description":"\#(description)"}"#)
    }

    /// The registered redirect: `http://localhost:PORT/auth/callback`
    /// for Codex, `/oauth2callback` for Google (the port is the real one's
    /// or a test's).
    func isRegistered(_ uri: String?) -> Bool {
        guard let uri, let parts = URLComponents(string: uri) else { return false }
        return parts.scheme == "http" && parts.host == "localhost" && parts.path == profile.callbackPath
    }

    static func jwt(_ claims: [String: Any], serial: Int) -> String {
        var payload = claims
        payload["exp"] = Int(Date().timeIntervalSince1970) + 3600
        payload["jti"] = "token-\(serial)-\(UUID().uuidString)"
        let encode = { (object: [String: Any]) in
            (try! JSONSerialization.data(withJSONObject: object)).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return encode(["alg": "RS256", "typ": "JWT"]) + "." + encode(payload) + ".c2lnbmF0dXJl"
    }

    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
