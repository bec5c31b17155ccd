import AsyncHTTPClient
import Convert
import HTTPTypes
import NIOCore

/// Builds the HTTP request to an upstream: its URL, its headers (with the
/// right key in the right header for its dialect) and its body.
enum UpstreamRequest {
    /// The Messages or Chat Completions URL for `entry`, with the client's
    /// query passed on to Anthropic-format upstreams (Claude Code sends
    /// `?beta=true`).
    static func messagesURL(for entry: ModelEntry, clientQuery: String?) -> String {
        switch entry.format {
        case .anthropic:
            let url = anthropicURL(entry.apiBase, path: "messages")
            guard let clientQuery, !clientQuery.isEmpty else { return url }
            return url + "?" + clientQuery
        default:
            return entry.apiBase + "/chat/completions"
        }
    }

    /// `{api_base}/v1/messages/count_tokens` for Anthropic-format upstreams.
    static func countTokensURL(for entry: ModelEntry, clientQuery: String?) -> String {
        let url = anthropicURL(entry.apiBase, path: "messages/count_tokens")
        guard let clientQuery, !clientQuery.isEmpty else { return url }
        return url + "?" + clientQuery
    }

    /// Anthropic bases are written without `/v1` by convention
    /// (https://api.anthropic.com); accept them with it too.
    private static func anthropicURL(_ base: String, path: String) -> String {
        base.hasSuffix("/v1") ? "\(base)/\(path)" : "\(base)/v1/\(path)"
    }

    /// Headers the client sent that an Anthropic-format upstream needs to
    /// see: the API version and the beta features the request relies on.
    static let forwardedAnthropicHeaders: [HTTPField.Name] = [
        HTTPField.Name("anthropic-version")!, HTTPField.Name("anthropic-beta")!,
    ]

    static func make(
        url: String, entry: ModelEntry, clientHeaders: HTTPFields, body: [UInt8], streaming: Bool
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "accept", value: streaming ? "text/event-stream" : "application/json")
        request.headers.add(name: "user-agent", value: "switchboard-proxy")
        if entry.format == .anthropic {
            for name in forwardedAnthropicHeaders {
                if let value = clientHeaders[name] { request.headers.add(name: name.rawName, value: value) }
            }
            if clientHeaders[forwardedAnthropicHeaders[0]] == nil {
                request.headers.add(name: "anthropic-version", value: "2023-06-01")
            }
        }
        if let key = apiKey(entry: entry, clientHeaders: clientHeaders) {
            switch entry.format {
            case .anthropic: request.headers.add(name: "x-api-key", value: key)
            default: request.headers.add(name: "authorization", value: "Bearer \(key)")
            }
        }
        for header in entry.extraHeaders {
            request.headers.replaceOrAdd(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    /// The route's key when it has one, else the client's `x-api-key`, else
    /// the client's bearer token.
    static func apiKey(entry: ModelEntry, clientHeaders: HTTPFields) -> String? {
        if let key = entry.apiKey { return key.value }
        if let key = clientHeaders[HTTPField.Name("x-api-key")!], !key.isEmpty { return key }
        if let authorization = clientHeaders[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty { return String(parts[1]) }
        }
        return nil
    }
}
