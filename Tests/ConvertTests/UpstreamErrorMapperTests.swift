import Convert
import Testing
import Wire

@Suite struct UpstreamErrorMapperTests {
    static func map(_ status: Int, _ body: String, retryAfter: String? = nil) -> APIError {
        UpstreamErrorMapper.map(
            status: status, body: Array(body.utf8), retryAfter: retryAfter, upstream: "deepseek", dialect: .openai)
    }

    @Test(arguments: [
        (400, "invalid_request_error"), (401, "authentication_error"), (403, "permission_error"),
        (404, "not_found_error"), (413, "request_too_large"), (429, "rate_limit_error"), (500, "api_error"),
        (503, "overloaded_error"), (529, "overloaded_error"),
    ])
    func statusKeepsItsAnthropicType(status: Int, type: String) {
        let error = Self.map(status, "{}")
        #expect(error.status == status)
        #expect(error.type == type)
    }

    /// OpenAI's code reaches OpenAI clients of any route; Anthropic's
    /// overlong prompt, said only in words, is OpenAI's
    /// `context_length_exceeded`.
    @Test func machineReadableCodesAreKept() {
        let openAI = Self.map(
            400, #"{"error":{"message":"too long","type":"invalid_request_error","code":"context_length_exceeded"}}"#)
        #expect(openAI.openAICode == "context_length_exceeded")
        let anthropic = Self.map(
            400,
            #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}}"#
        )
        #expect(anthropic.openAICode == "context_length_exceeded")
        #expect(anthropic.status(in: .gemini) == 400)
        #expect(Self.map(400, #"{"error":{"message":"bad","code":null}}"#).openAICode == "invalid_request_error")
    }

    @Test func openAIMessageIsKeptAndUpstreamNamed() {
        let error = Self.map(
            429,
            #"{"error":{"message":"Rate limit reached for requests","type":"requests","code":"rate_limit_exceeded"}}"#,
            retryAfter: "20")
        #expect(error.message == "upstream deepseek returned HTTP 429: Rate limit reached for requests (requests)")
        #expect(error.retryAfter == "20")
        #expect(
            error.rendered(in: .anthropic)
                == ["type": "error", "error": ["type": "rate_limit_error", "message": .string(error.message)]])
    }

    @Test func anthropicGeminiAndOtherShapes() {
        #expect(
            Self.map(529, #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#).message
                == "upstream deepseek returned HTTP 529: Overloaded (overloaded_error)")
        #expect(
            Self.map(400, #"[{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}]"#)
                .message
                == "upstream deepseek returned HTTP 400: API key not valid (INVALID_ARGUMENT)")
        #expect(Self.map(404, #"{"detail":"Not Found"}"#).message == "upstream deepseek returned HTTP 404: Not Found")
        #expect(Self.map(500, #"{"error":"boom"}"#).message == "upstream deepseek returned HTTP 500: boom")
    }

    @Test func rawTextIsCollapsedAndTruncated() {
        #expect(
            Self.map(502, "<html>\n  <body>Bad gateway</body>\n</html>").message
                == "upstream deepseek returned HTTP 502: <html> <body>Bad gateway</body> </html>")
        #expect(Self.map(503, "").message == "upstream deepseek returned HTTP 503: (empty body)")
        let long = Self.map(500, String(repeating: "é", count: 2000)).message
        #expect(long.hasSuffix("é…"))
        #expect(long.count < 600)
        let invalidUTF8 = UpstreamErrorMapper.map(
            status: 500, body: [0xff, 0xfe, 0x41], retryAfter: nil, upstream: "u", dialect: .openai)
        #expect(invalidUTF8.message.hasSuffix("A"))
    }

    @Test func unreachableUpstreams() {
        let refused = UpstreamErrorMapper.unreachable(upstream: "local", timedOut: false, detail: "connection refused")
        #expect(
            refused
                == APIError(
                    status: 502, type: "api_error", message: "could not reach upstream local: connection refused"))
        let slow = UpstreamErrorMapper.unreachable(upstream: "local", timedOut: true, detail: "no answer in 600 s")
        #expect(
            slow == APIError(status: 504, type: "api_error", message: "upstream local timed out: no answer in 600 s"))
    }
}
