import HTTPTypes
import NIOHTTP1
import NIOHTTPTypesHTTP1
import Wire

extension HTTPRequest {
    /// A request head as NIO's decoder read it, as HTTPTypes has it: what
    /// `HTTP1ToHTTPServerCodec` (secure: false, cookies unsplit) made of it,
    /// read here by the intake instead.
    ///
    /// A target in origin form (`/path?query`, what clients send) is the
    /// path as it is: the codec's own conversion parsed every target with
    /// Foundation's `URLComponents` to find a scheme, which such a target
    /// never has, and lowercased every field's name to find `host` (~5 K
    /// instructions a request). Any other target goes through the codec's
    /// conversion.
    /// - Throws: The codec's error for a method HTTPTypes cannot carry.
    init(serverHead head: HTTPRequestHead) throws {
        guard head.uri.utf8.first == UInt8(ascii: "/") else {
            try self.init(head, secure: false, splitCookie: false)
            return
        }
        var fields = HTTPFields()
        fields.reserveCapacity(head.headers.count)
        var authority: String?
        var firstHost = true
        for (name, value) in head.headers {
            if firstHost, name.equalsIgnoringASCIICase("host") {
                firstHost = false
                authority = value
                continue
            }
            // A name that is not a token is left out, as the codec did.
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        self.init(
            method: try Method(head.method), scheme: "http", authority: authority, path: head.uri,
            headerFields: fields)
    }

}
