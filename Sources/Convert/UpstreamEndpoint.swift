/// Where and how the proxy calls a route's upstream: the one place that
/// knows each dialect's URL path and key header, used by the proxy, by
/// `stub-upstream` and by tests, so they cannot disagree.
///
/// | dialect            | path after `api_base`                                   | key header              |
/// |--------------------|---------------------------------------------------------|-------------------------|
/// | `openai`           | `/chat/completions`                                     | `authorization: Bearer` |
/// | `openai-responses` | `/responses`                                            | `authorization: Bearer` |
/// | `anthropic`        | `/v1/messages`                                          | `x-api-key`             |
/// | `gemini`           | `/models/{model}:streamGenerateContent?alt=sse` when streaming, else `/models/{model}:generateContent` | `x-goog-api-key` |
///
/// `api_base` conventions: OpenAI-style bases end in their version
/// (`https://api.openai.com/v1`), Gemini's too
/// (`https://generativelanguage.googleapis.com/v1beta`), Anthropic's are the
/// host (`https://api.anthropic.com`); an Anthropic base that does end in
/// `/v1` is accepted by ``url(apiBase:route:stream:)``.
public enum UpstreamEndpoint {
    /// The path (and, for Gemini streaming, the query) to append to the
    /// route's `api_base`.
    ///
    /// Gemini's model goes in the path: `model_name` as configured, with
    /// `models/` added unless it already names a resource
    /// (`models/...`, `tunedModels/...`), percent-encoded where a path needs it.
    public static func path(route: RouteOptions, stream: Bool) -> String {
        switch route.upstreamDialect {
        case .openai: "/chat/completions"
        case .openaiResponses: "/responses"
        case .anthropic: "/v1/messages"
        case .gemini:
            "/\(geminiModelResource(route.upstreamModel))"
                + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent")
        }
    }

    /// The dialect an upstream request's path speaks, read from the end
    /// that ``path(route:stream:)`` puts after `api_base`, so that it holds
    /// whatever the base: a last segment with a method (Gemini's
    /// `models/{model}:method`), OpenAI's `/chat/completions` and
    /// `/responses` (and the latter's sub-paths, `/responses/input_tokens`),
    /// else Anthropic. `stub-upstream` answers a request it has no
    /// recording for in it.
    public static func dialect(ofPath path: String) -> Dialect {
        if path.split(separator: "/").last?.contains(":") == true { return .gemini }
        if path.hasSuffix("/chat/completions") || path.hasSuffix("/embeddings") { return .openai }
        if path.hasSuffix("/responses") || path.contains("/responses/") { return .openaiResponses }
        return .anthropic
    }

    /// `apiBase` joined with ``path(route:stream:)``, without a doubled `/`
    /// or, for Anthropic, a doubled `/v1`.
    public static func url(apiBase: String, route: RouteOptions, stream: Bool) -> String {
        url(apiBase: apiBase, dialect: route.upstreamDialect, path: path(route: route, stream: stream))
    }

    /// The path of the upstream's models list (`GET`): `/models` after the
    /// versioned base, or Anthropic's `/v1/models`.
    public static func modelsPath(dialect: Dialect) -> String {
        dialect == .anthropic ? "/v1/models" : "/models"
    }

    /// `apiBase` joined with `path` (one of this type's paths), without a
    /// doubled `/` or, for Anthropic, a doubled `/v1`: every Anthropic path
    /// starts with `/v1`, which a base ending in `/v1` already has. One rule
    /// for every call, so the models list goes where the messages go.
    public static func url(apiBase: String, dialect: Dialect, path: String) -> String {
        // By byte, on every request: `hasSuffix` and `dropLast` on the
        // string compare and drop whole Characters (grapheme breaking).
        var base = apiBase.utf8[...]
        while base.last == UInt8(ascii: "/") { base = base.dropLast() }
        var path = path
        if dialect == .anthropic && base.count >= 3 && base.suffix(3).elementsEqual("/v1".utf8)
            && path.utf8.starts(with: "/v1/".utf8)
        {
            path = String(Substring(path.utf8.dropFirst(3)))
        }
        return String(Substring(base)) + path
    }

    /// How a key is sent upstream when a route says so (`auth:`), instead
    /// of its dialect's usual header.
    public enum KeyAuth: String, Sendable, CaseIterable, Codable {
        /// `Authorization: Bearer KEY`.
        case bearer
        /// `x-api-key: KEY`.
        case xAPIKey = "x-api-key"
        /// `api-key: KEY`: Azure OpenAI's, whose deployment URLs
        /// (`/openai/deployments/...`) answer 401 to a key sent as a bearer
        /// token (a bearer token there is an Entra ID token).
        case apiKey = "api-key"
    }

    /// The header that carries an API key to an upstream of `dialect`, and
    /// its value for `key`: `auth` when given; else the dialect's own,
    /// except that an Anthropic OAuth token (`sk-ant-oat...`, from a Claude
    /// subscription) goes as a bearer token, as Anthropic accepts it only so.
    public static func keyHeader(dialect: Dialect, key: String, auth: KeyAuth? = nil) -> (name: String, value: String) {
        switch auth ?? (dialect == .anthropic && isAnthropicOAuthToken(key) ? .bearer : nil) {
        case .bearer: return ("authorization", "Bearer " + key)
        case .xAPIKey: return ("x-api-key", key)
        case .apiKey: return ("api-key", key)
        case nil: break
        }
        switch dialect {
        case .openai, .openaiResponses: return ("authorization", "Bearer " + key)
        case .anthropic: return ("x-api-key", key)
        case .gemini: return ("x-goog-api-key", key)
        }
    }

    /// A Claude subscription's OAuth token (`claude setup-token` prints one)
    /// rather than an API key.
    public static func isAnthropicOAuthToken(_ key: String) -> Bool { key.hasPrefix("sk-ant-oat") }

    /// The `anthropic-beta` value Anthropic requires beside a bearer token.
    public static let anthropicOAuthBeta = "oauth-2025-04-20"

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func geminiModelResource(_ model: String) -> String {
        let resource = model.hasPrefix("models/") || model.hasPrefix("tunedModels/") ? model : "models/" + model
        // Bytes, made into a string once: appending to a String scalar by
        // scalar cost more than the rest of the URL.
        var encoded: [UInt8] = []
        encoded.reserveCapacity(resource.utf8.count)
        for byte in resource.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                encoded.append(byte)
            default:
                encoded += [UInt8(ascii: "%"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
