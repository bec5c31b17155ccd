import Foundation
import Wire

/// The claims of a JSON Web Token, read without checking its signature:
/// the proxy only learns from them what the provider already told it (the
/// account a token belongs to), and trusts nothing else in them.
enum JWTClaims {
    /// The payload (the token's second part) as JSON; nil when `token` is
    /// not a JWT.
    static func payload(of token: String) -> JSONValue? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let claims = try? JSONValue(parsing: [UInt8](data)),
            case .object = claims
        else { return nil }
        return claims
    }
}
