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
    /// The URL of the route's generate call (see
    /// ``UpstreamEndpoint/generateURL(apiBase:route:stream:clientQuery:)``,
    /// which `log-replay verify` recomputes too): Messages, Chat
    /// Completions, Responses, or Gemini's `generateContent` /
    /// `streamGenerateContent` (chosen by `stream`, since a Gemini body does
    /// not say), with the client's `beta` to Anthropic-format upstreams only.
    static func messagesURL(
        for entry: ModelEntry, route: RouteOptions, stream: Bool, clientQuery: String?
    ) -> String {
        UpstreamEndpoint.generateURL(apiBase: entry.apiBase, route: route, stream: stream, clientQuery: clientQuery)
    }

    /// The route's own token count, for the upstreams that have one:
    /// Anthropic's `{Messages URL}/count_tokens` with the client's `beta`,
    /// OpenAI Responses' `{Responses URL}/input_tokens`.
    static func countTokensURL(for entry: ModelEntry, route: RouteOptions, clientQuery: String?) -> String {
        let (base, baseQuery) = UpstreamEndpoint.splitQuery(entry.apiBase)
        let generate = UpstreamEndpoint.url(apiBase: base, route: route, stream: false)
        if route.upstreamDialect == .openaiResponses {
            return UpstreamEndpoint.appendingQuery(baseQuery, to: generate + "/input_tokens")
        }
        return UpstreamEndpoint.appendingQuery(
            UpstreamEndpoint.anthropicQuery(clientQuery),
            to: UpstreamEndpoint.appendingQuery(baseQuery, to: generate + "/count_tokens"))
    }

    /// The route's models list (`GET`): `{api_base}/models`, or
    /// `{api_base}/v1/models` for Anthropic, whose base has no version (a
    /// base ending in `/v1` gets no second one, as for its messages).
    static func modelsURL(for entry: ModelEntry) -> String {
        let (base, baseQuery) = UpstreamEndpoint.splitQuery(entry.apiBase)
        let path = UpstreamEndpoint.modelsPath(dialect: entry.format)
        return UpstreamEndpoint.appendingQuery(
            baseQuery, to: UpstreamEndpoint.url(apiBase: base, dialect: entry.format, path: path))
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
