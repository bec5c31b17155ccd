/// What a client asked for, read from its request path: the dialect it
/// speaks, the operation, and for Gemini the model and streaming, which its
/// API puts in the path rather than the body.
///
/// The proxy routes by it and `log-replay verify` reads the recorded path
/// with it, so both take a request the same way.
public struct ClientEndpoint: Sendable, Hashable {
    public enum Operation: Sendable, Hashable {
        /// Messages, Chat Completions, Responses, generateContent.
        case generate
        /// Anthropic `count_tokens`, Gemini `countTokens`.
        case countTokens
    }

    public var dialect: Dialect
    public var operation: Operation
    /// Gemini: the model named in the path (`models/{model}:method`).
    public var pathModel: String?
    /// Gemini: `streamGenerateContent` (true) or `generateContent` (false);
    /// nil where the body's `stream` says.
    public var pathStream: Bool?
    /// Gemini `streamGenerateContent` without `alt=sse`: the answer is one
    /// JSON array whose elements arrive as they are made.
    public var jsonArrayStream: Bool

    public init(
        dialect: Dialect, operation: Operation = .generate, pathModel: String? = nil, pathStream: Bool? = nil,
        jsonArrayStream: Bool = false
    ) {
        self.dialect = dialect
        self.operation = operation
        self.pathModel = pathModel
        self.pathStream = pathStream
        self.jsonArrayStream = jsonArrayStream
    }

    /// The endpoint a `POST` to `path` is, or nil for a path the proxy does
    /// not serve. Each path is also accepted under the prefix
    /// tizee/anthropic-proxy uses (`/anthropic`, `/openai`, `/gemini`).
    public static func parse(path: String, query: String?) -> ClientEndpoint? {
        switch path {
        case "/v1/messages", "/anthropic/v1/messages": return ClientEndpoint(dialect: .anthropic)
        case "/v1/messages/count_tokens", "/anthropic/v1/messages/count_tokens":
            return ClientEndpoint(dialect: .anthropic, operation: .countTokens)
        case "/v1/chat/completions", "/openai/v1/chat/completions": return ClientEndpoint(dialect: .openai)
        case "/v1/responses", "/openai/v1/responses": return ClientEndpoint(dialect: .openaiResponses)
        default: return gemini(path: path, query: query)
        }
    }

    /// `[/gemini]/v1beta/models/{model}:{method}` or the same under `/v1`
    /// (google-genai's path when given a base URL).
    private static func gemini(path: String, query: String?) -> ClientEndpoint? {
        var rest = Substring(path)
        if rest.hasPrefix("/gemini/") { rest = rest.dropFirst("/gemini".count) }
        if rest.hasPrefix("/v1beta/models/") {
            rest = rest.dropFirst("/v1beta/models/".count)
        } else if rest.hasPrefix("/v1/models/") {
            rest = rest.dropFirst("/v1/models/".count)
        } else {
            return nil
        }
        guard let colon = rest.lastIndex(of: ":") else { return nil }
        let model = String(rest[..<colon]).removingPercentEncoding ?? String(rest[..<colon])
        guard !model.isEmpty else { return nil }
        switch rest[rest.index(after: colon)...] {
        case "generateContent":
            return ClientEndpoint(dialect: .gemini, pathModel: model, pathStream: false)
        case "streamGenerateContent":
            let sse = (query ?? "").split(separator: "&").contains("alt=sse")
            return ClientEndpoint(dialect: .gemini, pathModel: model, pathStream: true, jsonArrayStream: !sse)
        case "countTokens":
            return ClientEndpoint(dialect: .gemini, operation: .countTokens, pathModel: model, pathStream: false)
        default:
            return nil
        }
    }
}

extension String {
    /// `%XX` escapes decoded; nil when one is malformed or the result is not UTF-8.
    fileprivate var removingPercentEncoding: String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

extension Dialect {
    /// The dialect a client using `path` speaks, for any path (a models
    /// list, an unknown endpoint), so even a 404 comes in its shape: the
    /// OpenAI and Gemini endpoints and prefixes, else Anthropic.
    public init(clientPath path: String) {
        if let endpoint = ClientEndpoint.parse(path: path, query: nil) {
            self = endpoint.dialect
        } else if path.hasPrefix("/openai/") {
            self = .openai
        } else if path.hasPrefix("/gemini/") || path.hasPrefix("/v1beta/") || path == "/v1beta" {
            self = .gemini
        } else {
            self = .anthropic
        }
    }
}
