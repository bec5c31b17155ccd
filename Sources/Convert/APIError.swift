import Wire

/// An error as the proxy reports it to a client: an HTTP status, an
/// Anthropic error type, and a message a person can act on.
///
/// It is dialect-neutral; `rendered(in:)` gives the body in the client's own
/// API shape.
public struct APIError: Error, Sendable, Hashable {
    public var status: Int
    /// Anthropic's error type, such as `invalid_request_error`.
    public var type: String
    public var message: String
    /// Seconds (or an HTTP date), passed on from an upstream's `retry-after`.
    public var retryAfter: String?
    /// Milliseconds, passed on from an upstream's `retry-after-ms`, which
    /// the Anthropic and OpenAI SDKs read before `retry-after` (it is finer).
    public var retryAfterMillis: String?
    /// An upstream's `x-should-retry` (`true` or `false`), which the
    /// Anthropic and OpenAI SDKs obey over their own rule by status; nil
    /// when none was sent, or the proxy has no more to say than the status.
    public var shouldRetry: Bool?
    /// OpenAI's machine-readable `code`, where one names the cause (clients
    /// match on `context_length_exceeded` to shorten a conversation); nil
    /// for most errors, as for most of OpenAI's.
    public var code: String?
    /// OpenAI's `param`, the request member an error is about, from an
    /// OpenAI-family upstream's error: it goes on to Chat and Responses
    /// clients of any route (as the upstream named it), where a rebuilt
    /// body had `null`. Nil for the proxy's own errors.
    public var param: String?
    /// A 405's `Allow` header: the methods the endpoint takes.
    public var allow: String?
    /// Anthropic's `error.details`, the machine-readable cause its SDKs
    /// act on (`{"error_code": "thread_not_found"}` makes the Anthropic
    /// SDK's thread helpers re-send the whole conversation): the proxy's
    /// own, or an Anthropic upstream's, kept for the client's rebuilt
    /// Anthropic body. Nil for most errors.
    public var details: JSONValue?
    /// The upstream's own error body and the dialect it is in, when it
    /// answered with one: a client of that dialect gets it as it came
    /// (``clientBody(in:)``).
    public var upstreamBody: UpstreamBody?

    /// An upstream's error body, in `dialect`'s shape.
    public struct UpstreamBody: Sendable, Hashable {
        public var dialect: Dialect
        public var bytes: [UInt8]

        public init(dialect: Dialect, bytes: [UInt8]) {
            self.dialect = dialect
            self.bytes = bytes
        }
    }

    public init(
        status: Int, type: String, message: String, retryAfter: String? = nil, code: String? = nil,
        shouldRetry: Bool? = nil
    ) {
        self.status = status
        self.type = type
        self.message = message
        self.retryAfter = retryAfter
        self.code = code
        self.shouldRetry = shouldRetry
    }

    /// The ``code`` of a prompt longer than the context window.
    public static let contextLengthExceeded = "context_length_exceeded"

    /// The ``code`` of a model name nothing routes, as OpenAI names it.
    public static let modelNotFound = "model_not_found"

    /// 400 `invalid_request_error`.
    public static func invalidRequest(_ message: String) -> APIError {
        APIError(status: 400, type: "invalid_request_error", message: message)
    }

    /// 404 `not_found_error`.
    public static func notFound(_ message: String) -> APIError {
        APIError(status: 404, type: "not_found_error", message: message)
    }

    /// 500 `api_error`, for the proxy's own failures.
    public static func internalError(_ message: String) -> APIError {
        APIError(status: 500, type: "api_error", message: message)
    }

    /// An error an Anthropic stream reports,
    /// `{"type":"error","error":{"type","message"}}`, with the status its type
    /// stands for (a stream's error arrives after a 200 head).
    public init(anthropicErrorBody body: JSONValue) {
        let type = body["error"]?["type"]?.stringValue ?? "api_error"
        self.init(
            status: Self.status(forAnthropicType: type), type: type,
            message: body["error"]?["message"]?.stringValue ?? body.serializedString())
    }

    /// The HTTP status an Anthropic error type stands for; 502 for types
    /// that name no client-side cause.
    public static func status(forAnthropicType type: String) -> Int {
        switch type {
        case "invalid_request_error": 400
        case "authentication_error": 401
        case "billing_error": 402
        case "permission_error": 403
        case "not_found_error": 404
        case "request_too_large": 413
        case "rate_limit_error": 429
        case "timeout_error": 504
        case "overloaded_error": 529
        default: 502
        }
    }

    /// The Anthropic error type that goes with an HTTP status.
    public static func anthropicType(forStatus status: Int) -> String {
        switch status {
        case 400: "invalid_request_error"
        case 401: "authentication_error"
        case 402: "billing_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 503, 529: "overloaded_error"
        case 504: "timeout_error"
        case 400..<500: "invalid_request_error"
        default: "api_error"
        }
    }
}

extension APIError {
    /// The HTTP status a client of `dialect` gets. Only Anthropic has 529
    /// (OpenAI's and Gemini's overloaded is 503, which their SDKs retry),
    /// and only Anthropic refuses an overlong prompt with 413: OpenAI and
    /// Gemini say 400.
    public func status(in dialect: Dialect) -> Int {
        guard dialect != .anthropic else { return status }
        if status == 529 { return 503 }
        if code == Self.contextLengthExceeded { return 400 }
        return status
    }

    /// OpenAI's `code` for this error: ``code`` when set, else
    /// `rate_limit_exceeded` for 429, `server_error` for 5xx and statuses
    /// with no client-side cause, and the Anthropic error type
    /// (`invalid_request_error`, `authentication_error`...) for other 4xx,
    /// which names the cause.
    public var openAICode: String {
        if let code { return code }
        switch status {
        case 429: return "rate_limit_exceeded"
        case 400..<500: return type
        default: return "server_error"
        }
    }

    /// The members of a Responses stream's `error` event, besides its
    /// `type` (and the encoder's `sequence_number`).
    var responsesEventMembers: JSONObject {
        [
            "code": .string(openAICode), "message": .string(message),
            "param": openAITypeAndParam(in: .openaiResponses).param,
        ]
    }

    /// The error body a client of `dialect` gets: the upstream's own when it
    /// is in that dialect and not Anthropic's (OpenAI's `code` and `param`,
    /// which clients match on, and Gemini's `details`, which hold its quota
    /// and retry facts, would be lost in a rebuilt one; Anthropic's holds a
    /// type and a message, and the rebuilt message names the upstream),
    /// else ``rendered(in:)``.
    public func clientBody(in dialect: Dialect) -> [UInt8] {
        if let upstreamBody, upstreamBody.dialect == dialect, dialect != .anthropic { return upstreamBody.bytes }
        return rendered(in: dialect).serialized()
    }

    /// The error body in `dialect`'s shape:
    /// Anthropic `{"type":"error","error":{"type","message"}}` (and
    /// ``details`` when set),
    /// OpenAI `{"error":{"message","type","param","code"}}` (`code` a
    /// string, as OpenAI's SDKs type it: ``openAICode``),
    /// Gemini `{"error":{"code","message","status"}}`.
    public func rendered(in dialect: Dialect) -> JSONValue {
        switch dialect {
        case .anthropic:
            var error: JSONObject = ["type": .string(type), "message": .string(message)]
            if let details { error["details"] = details }
            return ["type": "error", "error": .object(error)]
        case .openai, .openaiResponses:
            let (openAIType, param) = openAITypeAndParam(in: dialect)
            return [
                "error": [
                    "message": .string(message), "type": .string(openAIType), "param": param,
                    "code": .string(openAICode),
                ]
            ]
        case .gemini:
            let status = status(in: .gemini)
            return [
                "error": [
                    "code": .int(Int64(status)), "message": .string(message),
                    "status": .string(Self.geminiStatus(status)),
                ]
            ]
        }
    }

    /// OpenAI's `type` and `param` where the proxy raises an error OpenAI
    /// answers itself: an overlong prompt (400 on `messages`, or `input`)
    /// and an unknown model (404, no `param`), both `invalid_request_error`
    /// there; Anthropic's `request_too_large` and `not_found_error` meant
    /// nothing to OpenAI's SDKs and the clients that match on them. Else
    /// the upstream's ``param``, if it named one.
    private func openAITypeAndParam(in dialect: Dialect) -> (type: String, param: JSONValue) {
        switch code {
        case Self.contextLengthExceeded: ("invalid_request_error", .string(dialect == .openai ? "messages" : "input"))
        case Self.modelNotFound: ("invalid_request_error", nil)
        default: (type, param.map(JSONValue.string) ?? nil)
        }
    }

    /// google.rpc.Code's name for an HTTP status, as Gemini pairs them.
    private static func geminiStatus(_ status: Int) -> String {
        switch status {
        case 400, 413, 422: "INVALID_ARGUMENT"
        case 401: "UNAUTHENTICATED"
        case 402, 412: "FAILED_PRECONDITION"
        case 403: "PERMISSION_DENIED"
        case 404: "NOT_FOUND"
        // No google.rpc code is "wrong HTTP method"; this one is "not supported".
        case 405: "UNIMPLEMENTED"
        case 408, 504: "DEADLINE_EXCEEDED"
        case 409: "ABORTED"
        case 429: "RESOURCE_EXHAUSTED"
        case 501: "UNIMPLEMENTED"
        case 502, 503, 529: "UNAVAILABLE"
        default: "INTERNAL"
        }
    }
}
