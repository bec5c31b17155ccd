import AsyncHTTPClient
import Convert
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import Wire

/// Builds the HTTP request to an upstream: its URL, its headers (with the
/// right key in the right header for its dialect) and its body.
///
/// Paths and key headers come from Convert's ``UpstreamEndpoint``, the one
/// place that knows them, so the proxy, `stub-upstream` and the tests cannot
/// disagree.
enum UpstreamRequest {
    /// The URL of the route's generate call: Messages, Chat Completions,
    /// Responses, or Gemini's `generateContent` / `streamGenerateContent`
    /// (chosen by `stream`, since a Gemini body does not say).
    ///
    /// Of the client's query, only `beta` goes on, and to Anthropic-format
    /// upstreams only (Claude Code sends `?beta=true`, which means something
    /// to Anthropic alone); see ``anthropicQuery(_:)``.
    ///
    /// A query in `api_base` (Azure's `api-version=...`; never a key, the
    /// config refuses `key=`) goes after the path.
    static func messagesURL(
        for entry: ModelEntry, route: RouteOptions, stream: Bool, clientQuery: String?
    ) -> String {
        let (base, baseQuery) = split(entry.apiBase)
        let url = appending(baseQuery, to: UpstreamEndpoint.url(apiBase: base, route: route, stream: stream))
        return entry.format == .anthropic ? appending(anthropicQuery(clientQuery), to: url) : url
    }

    /// `{Messages URL}/count_tokens`, for Anthropic-format upstreams (the
    /// only ones with such an endpoint), with the client's `beta`.
    static func countTokensURL(for entry: ModelEntry, route: RouteOptions, clientQuery: String?) -> String {
        let (base, baseQuery) = split(entry.apiBase)
        let messages = UpstreamEndpoint.url(apiBase: base, route: route, stream: false)
        return appending(anthropicQuery(clientQuery), to: appending(baseQuery, to: messages + "/count_tokens"))
    }

    /// The part of a client's query an Anthropic upstream is given: its
    /// `beta` parameters, nothing else. Anthropic's API reads no other query
    /// parameter on these paths, and the rest is the client's own business:
    /// a `key=` or `token=` meant for the proxy (or for another provider)
    /// would otherwise reach the route's upstream beside the route's own key.
    static func anthropicQuery(_ clientQuery: String?) -> String? {
        guard let clientQuery, !clientQuery.isEmpty else { return nil }
        if clientQuery == "beta=true" { return clientQuery }  // Claude Code's, every request
        let kept = URLQuery(clientQuery).parameters.filter { $0.name == "beta" }.map(\.text)
        return kept.isEmpty ? nil : kept.joined(separator: "&")
    }

    /// The route's models list (`GET`): `{api_base}/models`, or
    /// `{api_base}/v1/models` for Anthropic, whose base has no version (a
    /// base ending in `/v1` gets no second one, as for its messages).
    static func modelsURL(for entry: ModelEntry) -> String {
        let (base, baseQuery) = split(entry.apiBase)
        let path = UpstreamEndpoint.modelsPath(dialect: entry.format)
        return appending(baseQuery, to: UpstreamEndpoint.url(apiBase: base, dialect: entry.format, path: path))
    }

    /// `api_base` as the part a path is appended to, and its query.
    ///
    /// Searched by byte: `firstIndex(of: "?")` on the `String` walked it a
    /// Character (grapheme break) at a time, ~380 instructions a character
    /// of the base URL, 1.8% of a small request.
    private static func split(_ apiBase: String) -> (base: String, query: String?) {
        let utf8 = apiBase.utf8
        guard let mark = utf8.firstIndex(of: UInt8(ascii: "?")) else { return (apiBase, nil) }
        return (String(Substring(utf8[..<mark])), String(Substring(utf8[utf8.index(after: mark)...])))
    }

    private static func appending(_ query: String?, to url: String) -> String {
        guard let query, !query.isEmpty else { return url }
        return url + (url.utf8.contains(UInt8(ascii: "?")) ? "&" : "?") + query
    }

    /// Headers the client sent that an Anthropic-format upstream needs to
    /// see: the API version and the beta features the request relies on.
    static let forwardedAnthropicHeaders: [HTTPField.Name] = [
        HTTPField.Name("anthropic-version")!, HTTPField.Name("anthropic-beta")!,
    ]

    /// The request. The key goes in the header ``UpstreamEndpoint`` names for
    /// the route's dialect, never in the URL: a URL ends up in logs and proxies
    /// that headers do not.
    ///
    /// The route's header rules go last; `onRule` hears what each changed.
    static func make(
        url: String, entry: ModelEntry, clientHeaders: HTTPFields, clientQuery: String? = nil, streaming: Bool,
        onRule: ([ConversionDiagnostic]) -> Void = { _ in }
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        // Gathered in one array made big enough at once, then made headers:
        // `HTTPHeaders.add` checks each name for non-ASCII bytes a byte at a
        // time (~370 instructions; these names are ours, or HTTP tokens),
        // and its array grew four times.
        var fields: [(String, String)] = []
        fields.reserveCapacity(8)
        fields.append(("content-type", "application/json"))
        fields.append(("accept", streaming ? "text/event-stream" : "application/json"))
        fields.append(("user-agent", "switchboard-proxy"))
        if entry.format == .anthropic {
            for name in forwardedAnthropicHeaders {
                if let value = clientHeaders.joinedValue(name) { fields.append((name.rawName, value)) }
            }
            if clientHeaders.joinedValue(forwardedAnthropicHeaders[0]) == nil {
                fields.append(("anthropic-version", "2023-06-01"))
            }
        }
        let keyHeader = apiKey(entry: entry, clientHeaders: clientHeaders, clientQuery: clientQuery).map {
            UpstreamEndpoint.keyHeader(dialect: entry.format, key: $0, auth: entry.keyAuth)
        }
        if let keyHeader { fields.append(keyHeader) }
        request.headers = HTTPHeaders(fields)
        if let header = keyHeader {
            if entry.format == .anthropic && header.name == "authorization" {
                var betas = [UpstreamEndpoint.anthropicOAuthBeta]
                if entry.subscription == .claudeCode { betas.insert(claudeCodeBeta, at: 0) }
                addAnthropicBetas(betas, to: &request.headers)
            }
        }
        for header in entry.extraHeaders {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        if !entry.rules.headers.isEmpty { onRule(HeaderRule.apply(entry.rules.headers, to: &request.headers)) }
        return request
    }

    /// The beta a Claude Code subscription's requests name.
    static let claudeCodeBeta = "claude-code-20250219"

    /// Anthropic takes a bearer token only with its OAuth beta named in
    /// `anthropic-beta` (and a Claude Code subscription's requests with
    /// Claude Code's), beside any betas the client asked for.
    private static func addAnthropicBetas(_ betas: [String], to headers: inout HTTPHeaders) {
        let asked = headers[canonicalForm: "anthropic-beta"].map(String.init)
        let missing = betas.filter { !asked.contains($0) }
        guard !missing.isEmpty else { return }
        headers.replaceOrAdd(name: "anthropic-beta", value: (asked + missing).joined(separator: ","))
    }

    /// The route's key when it has one, else the client's own: `x-api-key`,
    /// `x-goog-api-key`, its bearer token, or a Gemini client's `key=` query
    /// parameter (which goes on in a header, never a URL).
    /// A header given twice gives its first value with one: joined, as HTTP
    /// joins repeated fields, two keys were one key no upstream takes
    /// (`sk-a, sk-b`), as the query's first `key=` is taken.
    static func apiKey(entry: ModelEntry, clientHeaders: HTTPFields, clientQuery: String? = nil) -> String? {
        if let key = entry.apiKey { return key.value }
        for name in clientKeyHeaders {
            if let key = clientHeaders.first(where: { $0.name == name && !$0.value.isEmpty }) { return key.value }
        }
        for field in clientHeaders where field.name == .authorization {
            let parts = field.value.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty { return String(parts[1]) }
        }
        // The first `key=` that has a value, decoded as the redactor decodes it (so both agree on
        // the key's fingerprint).
        return URLQuery(clientQuery ?? "").parameters.lazy.filter { $0.encodedName == "key" }
            .map(\.value).first { !$0.isEmpty }
    }

    private static let clientKeyHeaders = [HTTPField.Name("x-api-key")!, HTTPField.Name("x-goog-api-key")!]
}
