import Crypto
import Foundation

/// A Proof Key for Code Exchange (RFC 7636, method S256): the login keeps
/// the verifier, the authorize URL carries its challenge, and the code
/// exchange proves with the verifier that it comes from whoever started
/// the login.
struct PKCE: Sendable {
    /// 43 characters of base64url: 32 random bytes.
    let verifier: String

    init(verifier: String = PKCE.randomToken(bytes: 32)) {
        self.verifier = verifier
    }

    /// base64url(SHA-256(verifier)), unpadded.
    var challenge: String { Self.base64URL(Data(SHA256.hash(data: Data(verifier.utf8)))) }

    /// Random bytes as unpadded base64url, for verifiers and `state`.
    static func randomToken(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return base64URL(Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
