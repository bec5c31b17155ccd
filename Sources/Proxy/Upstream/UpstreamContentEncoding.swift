import Convert

/// The `content-encoding` of an upstream answer that the proxy can read.
///
/// The upstream client asks for gzip and deflate and decodes them as they
/// arrive (see ``UpstreamClient``). Brotli is not asked for: no package
/// available to the proxy decodes it. An upstream that sends br, or any
/// other encoding, anyway gets a clear 502 naming it, rather than its
/// compressed bytes read as JSON or events.
enum UpstreamContentEncoding {
    /// The encodings the upstream client decodes, or that need no decoding.
    static let readable: Set<String> = ["gzip", "deflate", "identity"]

    /// Throws 502 when `response` is encoded in a way the proxy cannot read:
    /// an encoding it does not decode, or more than one coding, or one
    /// listed after `identity`. NIO's decompressor decodes the first coding
    /// listed only, so `identity, gzip` passed gzip bytes on as they were,
    /// and `gzip, gzip` was decoded once.
    static func check(_ response: UpstreamResponse, upstream: String) throws(APIError) {
        let encodings = response.headers["content-encoding"]
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        if let unreadable = encodings.first(where: { !readable.contains($0) }) {
            throw APIError(
                status: 502, type: "api_error",
                message: "upstream \(upstream) answered with content-encoding `\(unreadable)`, which the proxy "
                    + "cannot decode (it asks for gzip or deflate only)")
        }
        guard encodings.dropFirst().contains(where: { $0 != "identity" }) else { return }
        throw APIError(
            status: 502, type: "api_error",
            message: "upstream \(upstream) answered with content-encoding `\(encodings.joined(separator: ", "))`, "
                + "which the proxy cannot decode (it decodes one gzip or deflate coding, listed first)")
    }
}
