import Wire

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
        /// Anthropic `count_tokens`, Gemini `countTokens`, OpenAI Responses
        /// `input_tokens`.
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

    /// The `content-type` of a streamed answer to this endpoint: a JSON
    /// array for ``jsonArrayStream``, else server-sent events. The proxy
    /// sends it and `log-replay verify` expects it, from this one place.
    public var streamContentType: String {
        jsonArrayStream ? "application/json; charset=utf-8" : "text/event-stream; charset=utf-8"
    }

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
    /// tizee/anthropic-proxy uses (`/anthropic`, `/openai`, `/gemini`), and
    /// OpenAI's without `/v1`, as LiteLLM serves them: an OpenAI SDK given a
    /// base URL with no `/v1` posts to `/chat/completions`.
    public static func parse(path: String, query: String?) -> ClientEndpoint? {
        switch path {
        case "/v1/messages", "/anthropic/v1/messages": return ClientEndpoint(dialect: .anthropic)
        case "/v1/messages/count_tokens", "/anthropic/v1/messages/count_tokens":
            return ClientEndpoint(dialect: .anthropic, operation: .countTokens)
        case "/v1/chat/completions", "/openai/v1/chat/completions", "/chat/completions":
            return ClientEndpoint(dialect: .openai)
        case "/v1/responses", "/openai/v1/responses", "/responses": return ClientEndpoint(dialect: .openaiResponses)
        case "/v1/responses/input_tokens", "/openai/v1/responses/input_tokens", "/responses/input_tokens":
            return ClientEndpoint(dialect: .openaiResponses, operation: .countTokens)
        default: return gemini(path: path, query: query)
        }
    }

    /// `[/gemini]/v1beta/models/{model}:{method}` or the same under `/v1`
    /// (google-genai's path when given a base URL).
    ///
    /// Read as bytes through the strings' buffers: `Substring`'s character
    /// by character prefixes and comparisons cost a Gemini request ~20 K
    /// instructions, and generic comparisons of UTF-8 views ~8 K more.
    private static func gemini(path: String, query: String?) -> ClientEndpoint? {
        var path = path
        guard let (model, method) = path.withUTF8({ modelAndMethod(inPath: $0) }) else { return nil }
        switch method {
        case .generate:
            return ClientEndpoint(dialect: .gemini, pathModel: model, pathStream: false)
        case .streamGenerate:
            var query = query ?? ""
            let sse = query.withUTF8 { hasComponent("alt=sse", inQuery: $0) }
            return ClientEndpoint(dialect: .gemini, pathModel: model, pathStream: true, jsonArrayStream: !sse)
        case .countTokens:
            return ClientEndpoint(dialect: .gemini, operation: .countTokens, pathModel: model, pathStream: false)
        }
    }

    private enum GeminiMethod {
        case generate, streamGenerate, countTokens
    }

    /// The model segment of a Gemini path whose method the proxy serves but
    /// whose model is not valid percent-encoding, as sent; nil
    /// for any other path. Such a request is answered 400 saying so, not
    /// 404 as an unknown endpoint.
    public static func malformedGeminiModel(inPath path: String) -> String? {
        var path = path
        return path.withUTF8 { bytes -> String? in
            guard let (encoded, _) = encodedModelAndMethod(inPath: bytes) else { return nil }
            let model = String(decoding: UnsafeBufferPointer(rebasing: bytes[encoded]), as: UTF8.self)
            return decodedModel(model) == nil ? model : nil
        }
    }

    /// The method of any Gemini model path, `[/gemini]/v1[beta]/models/{model}:{method}`,
    /// served or not (`batchEmbedContents`); nil for any other path. A
    /// request the proxy does not serve there is told which method it lacks,
    /// in Gemini's shape.
    public static func geminiMethod(inPath path: String) -> String? {
        var path = path
        return path.withUTF8 { bytes -> String? in
            guard let (_, method) = geminiModelAndMethod(inPath: bytes) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[method]), as: UTF8.self)
        }
    }

    /// A Gemini model path with its model replaced by `{model}`, e.g.
    /// `/v1beta/models/{model}:generateContent`, whatever the method; nil
    /// for any other path. The `log-replay` summary counts endpoints by it:
    /// one row per model and method buried the table in rows of one.
    public static func geminiPathTemplate(_ path: String) -> String? {
        var path = path
        return path.withUTF8 { bytes -> String? in
            guard let (model, _) = geminiModelAndMethod(inPath: bytes) else { return nil }
            let before = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<model.lowerBound]), as: UTF8.self)
            let after = String(decoding: UnsafeBufferPointer(rebasing: bytes[model.upperBound...]), as: UTF8.self)
            return before + "{model}" + after
        }
    }

    /// The model (percent-decoded) and method of a Gemini path, or nil.
    private static func modelAndMethod(inPath path: UnsafeBufferPointer<UInt8>) -> (String, GeminiMethod)? {
        guard let (encoded, method) = encodedModelAndMethod(inPath: path),
            let model = decodedModel(String(decoding: UnsafeBufferPointer(rebasing: path[encoded]), as: UTF8.self))
        else { return nil }
        return (model, method)
    }

    /// A path's model percent-decoded; nil when it cannot be (or is empty).
    private static func decodedModel(_ encoded: String) -> String? {
        guard let model = URLQuery.strictlyDecoded(Substring(encoded)), !model.isEmpty else { return nil }
        return model
    }

    /// Where the (still encoded) model lies in a Gemini path, and its method.
    private static func encodedModelAndMethod(
        inPath path: UnsafeBufferPointer<UInt8>
    ) -> (Range<Int>, GeminiMethod)? {
        guard let (model, name) = geminiModelAndMethod(inPath: path) else { return nil }
        let method: GeminiMethod
        if isExactly("generateContent", in: path, from: name.lowerBound, to: name.upperBound) {
            method = .generate
        } else if isExactly("streamGenerateContent", in: path, from: name.lowerBound, to: name.upperBound) {
            method = .streamGenerate
        } else if isExactly("countTokens", in: path, from: name.lowerBound, to: name.upperBound) {
            method = .countTokens
        } else {
            return nil
        }
        return (model, method)
    }

    /// Where the (still encoded) model and the method name lie in a Gemini
    /// model path, whatever the method; both non-empty.
    private static func geminiModelAndMethod(
        inPath path: UnsafeBufferPointer<UInt8>
    ) -> (model: Range<Int>, method: Range<Int>)? {
        var start = 0
        if matches("/gemini/", in: path, at: 0) { start = "/gemini".utf8.count }
        if matches("/v1beta/models/", in: path, at: start) {
            start += "/v1beta/models/".utf8.count
        } else if matches("/v1/models/", in: path, at: start) {
            start += "/v1/models/".utf8.count
        } else {
            return nil
        }
        guard let colon = path[start...].lastIndex(of: UInt8(ascii: ":")), colon > start, colon + 1 < path.count
        else { return nil }
        return (start..<colon, colon + 1..<path.count)
    }

    /// Whether `bytes` holds `literal` at `offset`.
    private static func matches(_ literal: StaticString, in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset + literal.utf8CodeUnitCount <= bytes.count else { return false }
        return literal.withUTF8Buffer { expected in
            for index in expected.indices where bytes[offset + index] != expected[index] { return false }
            return true
        }
    }

    /// Whether `bytes[start..<end]` is `literal`, no more and no less.
    private static func isExactly(
        _ literal: StaticString, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int
    ) -> Bool {
        end - start == literal.utf8CodeUnitCount && matches(literal, in: bytes, at: start)
    }

    /// Whether a query string has `component` between its `&`s.
    private static func hasComponent(_ component: StaticString, inQuery query: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        while start <= query.count {
            let end = query[start...].firstIndex(of: UInt8(ascii: "&")) ?? query.count
            if isExactly(component, in: query, from: start, to: end) { return true }
            start = end + 1
        }
        return false
    }
}

extension Dialect {
    /// The dialect a client using `path` speaks, for any path (a models
    /// list, an unknown endpoint), so even a 404 comes in its shape: the
    /// OpenAI and Gemini endpoints and prefixes, any Gemini
    /// `models/{model}:{method}` (google-genai's `embed_content` posts to
    /// `/v1/models/{model}:batchEmbedContents`), paths naming OpenAI's
    /// endpoints (`/v1/embeddings`, `/completions`, `/responses/{id}`),
    /// else Anthropic.
    public init(clientPath path: String) {
        if let endpoint = ClientEndpoint.parse(path: path, query: nil) {
            self = endpoint.dialect
        } else if path.hasPrefix("/openai/") {
            self = .openai
        } else if path.hasPrefix("/gemini/") || path.hasPrefix("/v1beta/") || path == "/v1beta"
            || ClientEndpoint.geminiMethod(inPath: path) != nil
        {
            self = .gemini
        } else if path.contains("responses") {
            self = .openaiResponses
        } else if path.contains("completions") || path.contains("embeddings") {
            self = .openai
        } else {
            self = .anthropic
        }
    }
}
