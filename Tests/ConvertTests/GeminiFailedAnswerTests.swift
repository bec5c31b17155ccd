import Convert
import SSE
import Testing
import Wire

/// A Gemini answer whose `finishReason` says the model failed to answer
/// (`MALFORMED_FUNCTION_CALL`, common with large tool sets) reached Claude
/// Code as an empty `end_turn`, and its turn just stopped. It is an error in
/// the client's own shape, streamed or not, whatever the client's dialect.
@Suite struct GeminiFailedAnswerTests {
    static let finishMessage = #"Malformed function call: print(default_api.Write(file_path="a.txt""#
    static let malformed: JSONValue = [
        "candidates": [
            ["finishReason": "MALFORMED_FUNCTION_CALL", "finishMessage": .string(finishMessage), "index": 0]
        ],
        "usageMetadata": ["promptTokenCount": 12, "totalTokenCount": 12], "responseId": "r1",
    ]
    static let text: JSONValue = [
        "candidates": [["content": ["parts": [["text": "Writing it."]], "role": "model"], "index": 0]],
        "responseId": "r1",
    ]
    /// The error every client gets, in its own shape.
    static let error = APIError(
        status: 502, type: "api_error",
        message: "upstream gemini failed to answer (finishReason MALFORMED_FUNCTION_CALL): \(finishMessage)")

    static func bytes(_ chunks: [JSONValue]) -> [UInt8] {
        Array(chunks.map { "data: \($0.serializedString())\r\n\r\n" }.joined().utf8)
    }

    static func client(_ dialect: Dialect, stream: Bool = false) throws -> ClientRequest {
        try ClientRequest(
            endpoint: ClientEndpoint(dialect: dialect, pathModel: dialect == .gemini ? "g" : nil, pathStream: stream),
            body: [
                "model": "m", "messages": [["role": "user", "content": "Hi"]], "input": "Hi", "max_tokens": 100,
                "contents": [["role": "user", "parts": [["text": "Hi"]]]], "stream": .bool(stream),
            ])
    }

    @Test func aMalformedCallStreamIsAnErrorEventNotAnEmptyEndTurn() throws {
        var converter = UpstreamStreamConverter(route: TestRoutes.gemini, requestedModel: "claude-test")
        let events = feed(Self.bytes([Self.malformed]), to: &converter)
        #expect(events.map(\.event) == ["message_start", "ping", "error"])
        #expect(try JSONValue(parsing: try #require(events.last).data) == Self.error.rendered(in: .anthropic))
        #expect(violations(events) == [])
        #expect(converter.reportedError == Self.error)
        #expect(converter.usage?["input_tokens"] == 12, "the usage still counts")
    }

    /// Text before the failed call has gone out already; the error follows
    /// it, so the client does not take the text for the model's last word.
    @Test func textBeforeAMalformedCallIsFollowedByTheError() throws {
        var converter = UpstreamStreamConverter(route: TestRoutes.gemini, requestedModel: "claude-test")
        let events = feed(Self.bytes([Self.text, Self.malformed]), to: &converter)
        #expect(
            events.map(\.event) == [
                "message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "error",
            ])
        #expect(events[3].data.contains("Writing it."))
        #expect(try JSONValue(parsing: events[5].data) == Self.error.rendered(in: .anthropic))
        #expect(violations(events) == [])
    }

    @Test func aMalformedCallBodyIsA502() throws {
        #expect(throws: Self.error) {
            try ResponseConverter.convert(upstreamBody: Self.malformed, route: TestRoutes.gemini, requestedModel: "c")
        }
        let withText: JSONValue = [
            "candidates": [
                [
                    "content": ["parts": [["text": "Writing it."]], "role": "model"],
                    "finishReason": "MALFORMED_FUNCTION_CALL", "finishMessage": .string(Self.finishMessage),
                ]
            ]
        ]
        #expect(throws: Self.error) {
            try ResponseConverter.convert(upstreamBody: withText, route: TestRoutes.gemini, requestedModel: "c")
        }
    }

    /// A malformed call's `finishMessage` quotes the call, whose arguments
    /// can be a whole file: the message (which is logged) keeps 500
    /// characters of it.
    @Test func aLongFinishMessageIsCut() {
        let call = "print(default_api.Write(content=\"" + String(repeating: "x", count: 5_000) + "\"))"
        let body: JSONValue = [
            "candidates": [["finishReason": "MALFORMED_FUNCTION_CALL", "finishMessage": .string(call)]]
        ]
        #expect(
            throws: APIError(
                status: 502, type: "api_error",
                message: "upstream gemini failed to answer (finishReason MALFORMED_FUNCTION_CALL): "
                    + call.prefix(500) + "…")
        ) {
            try ResponseConverter.convert(upstreamBody: body, route: TestRoutes.gemini, requestedModel: "c")
        }
    }

    /// Each reason the model failed by, and what it is: an error (with its
    /// status), or a message with its stop reason.
    @Test(
        arguments: [
            ("UNEXPECTED_TOOL_CALL", false, "502 upstream gemini failed to answer (finishReason UNEXPECTED_TOOL_CALL)"),
            ("TOO_MANY_TOOL_CALLS", true, "502 upstream gemini failed to answer (finishReason TOO_MANY_TOOL_CALLS)"),
            (
                "MISSING_THOUGHT_SIGNATURE", false,
                "400 upstream gemini refused the request (finishReason MISSING_THOUGHT_SIGNATURE)"
            ),
            ("OTHER", false, "502 upstream gemini gave no answer (finishReason OTHER)"),
            ("OTHER", true, "end_turn"),
            ("NO_IMAGE", false, "502 upstream gemini gave no answer (finishReason NO_IMAGE)"),
            ("LANGUAGE", false, "refusal"), ("MODEL_ARMOR", false, "refusal"), ("STOP", false, "end_turn"),
        ] as [(String, Bool, String)])
    func eachFinishReasonIsAnErrorOrAStopReason(reason: String, withText: Bool, outcome: String) throws {
        var candidate: JSONObject = ["finishReason": .string(reason)]
        if withText { candidate["content"] = ["parts": [["text": "Hi"]], "role": "model"] }
        let body: JSONValue = ["candidates": [.object(candidate)], "responseId": "r"]
        func result(streamed: Bool) -> String {
            do throws(APIError) {
                guard streamed else {
                    let message = try ResponseConverter.convert(
                        upstreamBody: body, route: TestRoutes.gemini, requestedModel: "c")
                    return message["stop_reason"]?.stringValue ?? "?"
                }
                var converter = UpstreamStreamConverter(route: TestRoutes.gemini, requestedModel: "c")
                let events = feed(Self.bytes([body]), to: &converter)
                if let error = converter.reportedError { throw error }
                return AssembledMessage(events).stopReason ?? "?"
            } catch {
                return "\(error.status) \(error.message)"
            }
        }
        #expect(result(streamed: false) == outcome)
        #expect(result(streamed: true) == outcome)
    }

    /// Every other client dialect goes through the pivot, and gets the
    /// error in its own shape: a body with the status its SDK retries, or
    /// its stream's error frame. (A Gemini client is passed through, below.)
    @Test(arguments: [Dialect.openai, .openaiResponses])
    func everyClientGetsTheErrorInItsOwnShape(dialect: Dialect) throws {
        #expect(throws: Self.error) {
            try Self.client(dialect).clientResponse(
                upstreamBody: Self.malformed, route: TestRoutes.gemini, createdAt: 0)
        }
        #expect(Self.error.status(in: dialect) == 502)
        var converter = try Self.client(dialect, stream: true).streamConverter(route: TestRoutes.gemini, createdAt: 0)
        let events = feed(Self.bytes([Self.malformed]), to: &converter)
        #expect(converter.reportedError == Self.error)
        if dialect == .openai {
            #expect(try #require(events.last).jsonPayload == Self.error.rendered(in: .openai))
        } else {
            let error = try #require(events.first { $0.event == "error" }).jsonPayload
            #expect(
                error.removingMember("sequence_number")
                    == [
                        "type": "error", "code": "server_error", "message": .string(Self.error.message), "param": .null,
                    ])
            #expect(events.last?.event == "response.failed")
        }
    }

    /// A Gemini client on a Gemini route gets Gemini's answer as it came.
    @Test func aGeminiClientOnAGeminiRouteGetsTheAnswerAsItCame() throws {
        let client = try Self.client(.gemini)
        let answer = try client.clientResponse(upstreamBody: Self.malformed, route: TestRoutes.gemini, createdAt: 0)
        #expect(answer.body == Self.malformed)
        var converter = try #require(UpstreamStreamConverter(passthroughFor: TestRoutes.gemini))
        let events = feed(Self.bytes([Self.malformed]), to: &converter)
        #expect(events.map(\.data) == [Self.malformed.serializedString()])
        #expect(converter.reportedError == nil)
    }
}

extension SSEEvent {
    fileprivate var jsonPayload: JSONValue {
        get throws { try JSONValue(parsing: data) }
    }
}

extension JSONValue {
    fileprivate func removingMember(_ key: String) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object.removeValue(forKey: key)
        return .object(object)
    }
}
