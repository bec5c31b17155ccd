import AsyncHTTPClient
import Foundation
import NIOCore
import ServiceRunning
import Wire

/// The provider's token endpoint: a code exchanged for tokens at login, a
/// refresh token for a new access token later. Both are form posts
/// (RFC 6749 §4.1.3, §6).
struct OAuthTokenEndpoint: Sendable {
    let settings: OAuthProviderSettings

    /// Why the endpoint gave no tokens. Holds the provider's error code and
    /// description, never a token or a code.
    struct Failure: Error, CustomStringConvertible {
        var description: String
        /// The provider refused the grant (4xx: expired, revoked, reused);
        /// false for a failure to reach it.
        var refused: Bool
    }

    /// Exchanges the authorization `code` (sent to `redirectURI`) with the
    /// PKCE verifier that started the login.
    func exchange(code: String, verifier: String, redirectURI: String) async throws(Failure) -> OAuthTokenGrant {
        try await post(
            [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                ("client_id", settings.clientID), ("code_verifier", verifier),
            ] + clientSecret)
    }

    /// A new access token (and, when the provider rotates them, a new
    /// refresh token) for `refreshToken`.
    func refresh(_ refreshToken: String) async throws(Failure) -> OAuthTokenGrant {
        var form = [
            ("client_id", settings.clientID), ("grant_type", "refresh_token"), ("refresh_token", refreshToken),
        ]
        if settings.redirectURIOnRefresh { form.append(("redirect_uri", settings.redirectURI)) }
        return try await post(form + clientSecret)
    }

    /// The client secret's field, for a client that has one.
    private var clientSecret: [(String, String)] { settings.clientSecret.map { [("client_secret", $0)] } ?? [] }

    private func post(_ form: [(String, String)]) async throws(Failure) -> OAuthTokenGrant {
        var request = HTTPClientRequest(url: settings.tokenURL)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "accept", value: "application/json")
        request.body = .bytes(ByteBuffer(string: Self.formEncoded(form)))
        let status: UInt
        let body: ByteBuffer
        do {
            let response = try await SubscriptionHTTPClient.shared.execute(request, timeout: .seconds(30))
            status = response.status.code
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw Failure(
                description:
                    "cannot reach \(settings.tokenURL): \(NetworkErrorText.connectionFailure(error) ?? String(describing: error))",
                refused: false)
        }
        let json = try? JSONValue(parsing: Array(body.readableBytesView))
        guard (200..<300).contains(status) else {
            throw Failure(
                description: "\(settings.tokenURL) answered \(status)"
                    + (json.flatMap(Self.reason).map { ": \($0)" } ?? ""),
                refused: (400..<500).contains(status))
        }
        guard let json, let grant = OAuthTokenGrant(json: json) else {
            throw Failure(description: "\(settings.tokenURL) answered without an access token", refused: false)
        }
        return grant
    }

    /// The OAuth error code and description of an error answer.
    private static func reason(_ json: JSONValue) -> String? {
        let code = json["error"]?.stringValue ?? json["error"]?["code"]?.stringValue
        let text = json["error_description"]?.stringValue ?? json["error"]?["message"]?.stringValue
        let parts = [code, text].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: ": ")
    }

    /// `application/x-www-form-urlencoded`: everything but unreserved
    /// characters percent-encoded.
    static func formEncoded(_ form: [(String, String)]) -> String {
        form.map { "\(percentEncoded($0.0))=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
