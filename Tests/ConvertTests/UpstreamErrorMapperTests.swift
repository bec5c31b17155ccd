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

    /// OpenAI's `param` and `code` reach a client of the other OpenAI
    /// dialect, whose body is rebuilt; the proxy's own `param` of an
    /// overlong prompt names the client's member; none is null.
    @Test func openAIsParamIsKeptForTheOtherOpenAIDialect() throws {
        let error = Self.map(
            400,
            #"{"error":{"message":"Unsupported value","type":"invalid_request_error","param":"temperature","code":"unsupported_value"}}"#
        )
        #expect(error.param == "temperature")
        let responses = try JSONValue(parsing: error.clientBody(in: .openaiResponses))
        #expect(responses["error"]?["param"] == "temperature")
        #expect(responses["error"]?["code"] == "unsupported_value")
        #expect(responses["error"]?["type"] == "invalid_request_error")
        #expect(error.rendered(in: .openai)["error"]?["param"] == "temperature")
        let tooLong = Self.map(
            400,
            #"{"error":{"message":"too long","param":"messages","code":"context_length_exceeded"}}"#)
        #expect(tooLong.rendered(in: .openaiResponses)["error"]?["param"] == "input")
        #expect(
            Self.map(400, #"{"error":{"message":"bad","param":null}}"#).rendered(in: .openai)["error"]?["param"]
                == .null)
        #expect(Self.map(400, #"{"error":{"message":"bad"}}"#).param == nil)
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
                == "upstream deepseek returned HTTP 502: Bad gateway")
        #expect(Self.map(503, "").message == "upstream deepseek returned HTTP 503: (empty body)")
        let long = Self.map(500, String(repeating: "é", count: 2000)).message
        #expect(long.hasSuffix("é…"))
        #expect(long.count < 600)
        let invalidUTF8 = UpstreamErrorMapper.map(
            status: 500, body: [0xff, 0xfe, 0x41], retryAfter: nil, upstream: "u", dialect: .openai)
        #expect(invalidUTF8.message.hasSuffix("A"))
    }

    /// A load balancer's or gateway's page: the README promises its text,
    /// so the tags go, code and comments with them, and entities are read.
    @Test(arguments: [
        (
            "<html><head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                + "<hr><center>nginx</center>\r\n</body>\r\n</html>",
            "502 Bad Gateway 502 Bad Gateway nginx"
        ),
        (
            "  <!DOCTYPE html><html><head><style>body { color: red; }</style><SCRIPT type=\"x\">if (a < b) go();</SCRIPT>"
                + "<!-- <p>hidden</p> --></head><body><p title=\"a > b\">Can&#39;t reach &quot;api&quot; &amp; co&#x2e;</p>"
                + "&nbsp;x &lt; y &bogus; a&b</body></html>",
            "Can't reach \"api\" & co. x < y &bogus; a&b"
        ),
        (
            "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your rate</Message></Error>",
            "SlowDown Reduce your rate"
        ),
        ("<p>cut off <script>never closed", "cut off"),
        ("Not markup: <b>bold</b>", "Not markup: <b>bold</b>"),
        // All "tags": its only words, kept (Envoy's plain-text 503 reads so).
        ("<no healthy upstream>", "<no healthy upstream>"),
    ])
    func anHTMLPageGivesItsText(page: String, text: String) {
        #expect(Self.map(502, page).message == "upstream deepseek returned HTTP 502: \(text)")
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
