import Wire

/// Turns an upstream's HTTP error into the error the client gets.
public enum UpstreamErrorMapper {
    /// The longest raw (non-JSON) body text kept in a message.
    static let rawTextLimit = 500

    /// Upstream HTTP error -> APIError, status kept (a status that is not
    /// an error, 1xx, 3xx or a 2xx whose body is an error, is 502), Anthropic type by status
    /// (400 invalid_request_error, 401 authentication_error, 403
    /// permission_error, 404 not_found_error, 413 request_too_large, 429
    /// rate_limit_error, 500 api_error, 503/529 overloaded_error), upstream
    /// message kept in text.
    ///
    /// The message names the upstream and keeps the upstream's own words,
    /// read from OpenAI's `{"error":{"message"}}`, Anthropic's
    /// `{"type":"error","error":{"message"}}`, Gemini's
    /// `{"error":{"code","message","status"}}` (also inside an array),
    /// `{"message"}`, `{"detail"}` or `{"error":"text"}`, else the raw body
    /// text (a page's without its markup), whitespace collapsed and
    /// truncated. `retryAfter` is kept; when
    /// there is none, Google's `RetryInfo.retryDelay` in the body (`"34.4s"`)
    /// becomes one, in whole seconds rounded up, as `retry-after` is.
    public static func map(
        status: Int, body: [UInt8], retryAfter: String?, upstream: String, dialect: Dialect
    ) -> APIError {
        let json = try? JSONValue(parsing: body)
        let detail = json.flatMap(message(in:)) ?? rawText(body)
        // Only an error status is passed on: a 304 or a 101 (no body, or a
        // changed protocol) broke the client's framing, with the error's
        // body after a head that says there is none.
        let clientStatus = (400..<600).contains(status) ? status : 502
        var error = APIError(
            status: clientStatus, type: APIError.anthropicType(forStatus: clientStatus),
            message: (200..<300).contains(status)
                ? "upstream \(upstream) answered HTTP \(status) with an error: \(detail)"
                : "upstream \(upstream) returned HTTP \(status): \(detail)",
            retryAfter: retryAfter ?? json.flatMap(googleRetryDelay))
        // OpenAI's machine-readable code goes on to OpenAI clients of other
        // routes too; Anthropic names an overlong prompt only in words.
        if let code = json?["error"]?["code"]?.stringValue, !code.isEmpty {
            error.code = code
        } else if status == 400, detail.contains("prompt is too long") {
            error.code = APIError.contextLengthExceeded
        }
        // So does the member it names, which a Chat or Responses client of
        // the other OpenAI dialect would otherwise get as null.
        if let param = json?["error"]?["param"]?.stringValue, !param.isEmpty {
            error.param = param
        }
        // Anthropic's machine-readable cause, which its SDKs act on (a lost
        // server-held thread is re-sent whole), goes on in the rebuilt body.
        if dialect == .anthropic, let details = json?["error"]?["details"], details.objectValue != nil {
            error.details = details
        }
        // An error object as the dialect writes one (Gemini's streaming
        // endpoints wrap it in an array) goes on to its own clients.
        if let json, json["error"]?.objectValue != nil || json.arrayValue?.first?["error"]?.objectValue != nil {
            error.upstreamBody = APIError.UpstreamBody(dialect: dialect, bytes: body)
        }
        return error
    }

    /// `error.details[]` entry of type `google.rpc.RetryInfo` -> seconds.
    static func googleRetryDelay(_ json: JSONValue) -> String? {
        let error = json.arrayValue?.first?["error"] ?? json["error"]
        for detail in error?["details"]?.arrayValue ?? [] {
            guard detail["@type"]?.stringValue?.hasSuffix("google.rpc.RetryInfo") == true,
                let delay = detail["retryDelay"]?.stringValue, delay.hasSuffix("s"),
                let seconds = Double(delay.dropLast()), seconds.isFinite, seconds >= 0,
                // A delay past 68 years is no delay a client can wait out, and past Int's range it trapped.
                seconds <= Double(Int32.max)
            else { continue }
            return String(Int(seconds.rounded(.up)))
        }
        return nil
    }

    /// The upstream could not be reached (502) or did not answer in time
    /// (504), both `api_error` naming the upstream, so a user can tell a
    /// dead provider from a bad request.
    public static func unreachable(upstream: String, timedOut: Bool, detail: String) -> APIError {
        timedOut
            ? APIError(status: 504, type: "api_error", message: "upstream \(upstream) timed out: \(detail)")
            : APIError(status: 502, type: "api_error", message: "could not reach upstream \(upstream): \(detail)")
    }

    /// The human-readable message in an upstream error body.
    static func upstreamMessage(body: [UInt8]) -> String {
        if let json = try? JSONValue(parsing: body), let message = message(in: json) {
            return message
        }
        return rawText(body)
    }

    /// The upstream's message in any of the error shapes providers use.
    static func message(in json: JSONValue) -> String? {
        if case .array(let items) = json, let first = items.first { return message(in: first) }
        if let error = json["error"] {
            if let text = error.stringValue, !text.isEmpty { return text }
            if let text = error["message"]?.stringValue, !text.isEmpty {
                let kind = error["type"]?.stringValue ?? error["status"]?.stringValue
                return kind.map { "\(text) (\($0))" } ?? text
            }
        }
        for key in ["message", "detail"] {
            if let text = json[key]?.stringValue, !text.isEmpty { return text }
        }
        if let detail = json["detail"], !detail.isNull { return detail.serializedString() }
        return nil
    }

    /// The body as text for a message; an HTML page (a load balancer's
    /// 502) as the text it shows, since its tags only bury the words. A
    /// body that is all "tags" (`<no healthy upstream>`) is kept as it
    /// came: those are its only words.
    static func rawText(_ body: [UInt8]) -> String {
        var collapsed = ""
        if MarkupText.isMarkup(body) {
            collapsed = Self.collapsed(MarkupText.text(of: body))
        }
        if collapsed.isEmpty { collapsed = Self.collapsed(String(decoding: body, as: UTF8.self)) }
        if collapsed.isEmpty { return "(empty body)" }
        guard collapsed.count > rawTextLimit else { return collapsed }
        return String(collapsed.prefix(rawTextLimit)) + "…"
    }

    private static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The error frame for an `{"error":...}` payload an upstream sends
    /// inside a stream, where there is no HTTP status to go by: a numeric
    /// `code` is taken as the status, otherwise the error type decides.
    static func streamError(_ payload: JSONValue, upstream: String) -> APIError {
        let error = payload["error"] ?? payload
        let status =
            error["code"]?.intValue.flatMap { (400..<600).contains($0) ? $0 : nil }
            ?? status(
                // A flat `{"type":"error","code":...}` event's type names the event, not the error.
                forErrorType: ["type", "status", "code"].lazy.compactMap { error[$0]?.stringValue }.first {
                    $0 != "error"
                })
        let detail = message(in: payload) ?? payload.serializedString()
        return APIError(
            status: status, type: APIError.anthropicType(forStatus: status),
            message: "upstream \(upstream) failed mid-stream: \(detail)")
    }

    private static func status(forErrorType type: String?) -> Int {
        switch type?.lowercased() {
        case let type?
        where type.contains("rate_limit") || type == "resource_exhausted" || type == "insufficient_quota":
            429
        case let type? where type.contains("overloaded") || type == "unavailable": 529
        case "invalid_request_error"?, "invalid_argument"?: 400
        case "authentication_error"?: 401
        case "permission_error"?: 403
        default: 500
        }
    }
}
