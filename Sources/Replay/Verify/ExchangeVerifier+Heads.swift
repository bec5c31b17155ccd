import Cassette
import Convert
import Foundation
import Wire

/// The heads of the recorded requests and answers: what the proxy decides
/// there besides the bodies, recomputed from the route line with Convert's
/// ``UpstreamEndpoint`` (the one place the proxy takes paths and key
/// headers from) and ``ClientEndpoint``.
extension ExchangeVerifier {
    /// The upstream request's URL and key header as today's proxy would
    /// build them for the recorded route, against the recorded ones:
    /// differences at `/url` and `/headers/<name>`, with today's values kept
    /// in `replayed` for `--update`.
    ///
    /// Not compared where the recording cannot say what the proxy would do:
    /// a request to Gemini Code Assist or Antigravity (their own URL, and
    /// which backend a route used is the login's, not in the route line);
    /// a route line without its `upstream`; and the key header when no
    /// header of the request holds a key's fingerprint (the client sent no
    /// key, and the route had none).
    static func compareUpstreamHead(
        _ recorded: CassetteEvent?, route: CassetteEvent, options: RouteOptions, stream: Bool, clientQuery: String?,
        into result: inout ExchangeVerification
    ) {
        guard let recorded, !sentToCodeAssist(recorded), let apiBase = route["upstream"]?.stringValue else { return }
        let url = UpstreamEndpoint.generateURL(
            apiBase: apiBase, route: options, stream: stream, clientQuery: clientQuery)
        let recordedURL = recorded["url"]?.stringValue
        if recordedURL != url {
            result.replayed.upstreamURL = url
            result.differences.append(
                VerifyDifference(
                    leg: "upstream_request", pointer: "/url", expected: recordedURL.map(JSONValue.string),
                    actual: .string(url)))
        }
        // Headers the route itself sets or removes may carry or move the key.
        guard options.configuredHeaders != true else { return }
        let headers = recorded.headerPairs
        guard let header = keyHeader(options: options, recordedHeaders: headers) else { return }
        let recordedValue = headers.first { $0.name.lowercased() == header.name }?.value
        guard recordedValue != header.value else { return }
        result.replayed.upstreamKeyHeader = header
        result.differences.append(
            VerifyDifference(
                leg: "upstream_request", pointer: "/headers/\(header.name)",
                expected: recordedValue.map(JSONValue.string), actual: .string(header.value)))
    }

    /// The header today's proxy puts the recorded key in, with its value
    /// as the recording would show it (the key's fingerprint, after the
    /// scheme for a bearer token); nil when no recorded header holds a key.
    ///
    /// The key is the one in the header of today's name when the recording
    /// has it, else the first header holding a fingerprint: so what is
    /// compared is the header's name and scheme, never a key. Without a
    /// recorded `auth`, an Anthropic route sends a bearer token only for a
    /// Claude OAuth token (``UpstreamEndpoint/isAnthropicOAuthToken(_:)``),
    /// which a fingerprint hides; the proxy always names
    /// ``UpstreamEndpoint/anthropicOAuthBeta`` beside one, so a recorded
    /// bearer token with that beta is taken for one.
    static func keyHeader(
        options: RouteOptions, recordedHeaders headers: [(name: String, value: String)]
    ) -> (name: String, value: String)? {
        let fingerprints = headers.compactMap { header in
            keyFingerprint(header.value).map { (name: header.name.lowercased(), value: header.value, key: $0) }
        }
        guard let first = fingerprints.first else { return nil }
        var auth = options.keyAuth
        if auth == nil, options.upstreamDialect == .anthropic,
            let bearer = fingerprints.first(where: { $0.name == "authorization" }), bearer.value.hasPrefix("Bearer "),
            headers.contains(where: {
                $0.name.lowercased() == "anthropic-beta"
                    && $0.value.split(separator: ",").contains {
                        $0.filter { $0 != " " } == UpstreamEndpoint.anthropicOAuthBeta
                    }
            })
        {
            auth = .bearer
        }
        let name = UpstreamEndpoint.keyHeader(dialect: options.upstreamDialect, key: first.key, auth: auth).name
        let key = fingerprints.first { $0.name == name }?.key ?? first.key
        return UpstreamEndpoint.keyHeader(dialect: options.upstreamDialect, key: key, auth: auth)
    }

    /// The fingerprint a recorded header value holds in place of a key:
    /// the whole value, or what follows its scheme (`Bearer [redacted:...]`).
    private static func keyFingerprint(_ value: String) -> String? {
        let credential = value.split(separator: " ", maxSplits: 1).last.map(String.init) ?? value
        return Redactor.isFingerprint(credential) ? credential : nil
    }

    /// The client answer's `content-type` against the one the proxy gives
    /// it, by media type: a stream's is the endpoint's
    /// (``ClientEndpoint/streamContentType``: server-sent events, or a JSON
    /// array), a whole answer's or an error's JSON, or the upstream's own
    /// when the proxy passed the body on as it came. Parameters (a charset)
    /// are not the proxy's decision to check: recordings made by hand, and
    /// answers passed on, write them or not.
    /// - Parameter streamContentType: the endpoint's, for a streamed
    ///   answer; nil for a whole one.
    static func compareClientContentType(
        _ exchange: Exchange, streamContentType: String?, upstreamContentType: String? = nil,
        into result: inout ExchangeVerification
    ) {
        guard let response = exchange.clientResponse else { return }
        let recorded = response.headerPairs.first { $0.name.lowercased() == "content-type" }?.value
        let today = streamContentType ?? "application/json"
        if let recorded {
            if mediaType(recorded) == mediaType(today) { return }
            if streamContentType == nil, recorded == upstreamContentType { return }
        }
        result.replayed.clientContentType = today
        result.differences.append(
            VerifyDifference(
                leg: "client_response", pointer: "/headers/content-type", expected: recorded.map(JSONValue.string),
                actual: .string(today)))
    }

    /// `type/subtype` of a `content-type`, lowercased, without parameters.
    private static func mediaType(_ contentType: String) -> String {
        (contentType.split(separator: ";", maxSplits: 1).first.map(String.init) ?? "")
            .trimmingCharacters(in: .whitespaces).lowercased()
    }
}
