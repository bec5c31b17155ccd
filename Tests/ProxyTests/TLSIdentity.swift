import Crypto
import Foundation
import NIOSSL
import X509

/// A certificate and its key, made for one host name.
struct TLSIdentity: Sendable {
    let certificate: NIOSSLCertificate
    let key: NIOSSLPrivateKey

    static func make(name: String) throws -> TLSIdentity {
        let key = P256.Signing.PrivateKey()
        let subject = try DistinguishedName { CommonName(name) }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
            notValidBefore: Date().addingTimeInterval(-3600), notValidAfter: Date().addingTimeInterval(3600),
            issuer: subject, subject: subject,
            extensions: try Certificate.Extensions {
                SubjectAlternativeNames([.dnsName(name)])
            },
            issuerPrivateKey: .init(key))
        return TLSIdentity(
            certificate: try NIOSSLCertificate(bytes: Array(certificate.serializeAsPEM().pemString.utf8), format: .pem),
            key: try NIOSSLPrivateKey(bytes: Array(key.pemRepresentation.utf8), format: .pem))
    }

    /// A client configuration that trusts this certificate alone.
    var trustingClientConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .certificates([certificate])
        return configuration
    }
}
