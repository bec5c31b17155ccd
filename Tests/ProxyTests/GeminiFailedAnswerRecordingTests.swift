import Testing
import Wire

/// A Gemini answer that failed (`finishReason: MALFORMED_FUNCTION_CALL`)
/// once reached Claude Code as an empty `end_turn` with status 200, and
/// nothing was logged. Through the proxy it is an error the client's SDK
/// retries, recorded as the exchange's error.
@Suite struct GeminiFailedAnswerRecordingTests {
    static let answer =
        #"{"candidates":[{"finishReason":"MALFORMED_FUNCTION_CALL","finishMessage":"Malformed function call: x","#
        + #""index":0}],"usageMetadata":{"promptTokenCount":12,"totalTokenCount":12},"responseId":"r1"}"#
    static let message =
        "upstream gemini failed to answer (finishReason MALFORMED_FUNCTION_CALL): Malformed function call: x"

    @Test func aBodyIsA502AndTheExchangesError() async throws {
        let (answer, recorded) = try await FailureAfterTheStreamsEndTests.exchange(
            path: "/v1/messages", request: ProxyHarness.messages(model: "gemini"), reply: .json(200, Self.answer))
        #expect(answer.status == 502)
        #expect(answer.json == ["type": "error", "error": ["type": "api_error", "message": .string(Self.message)]])
        #expect(
            recorded["error"]?.map {
                JSONValue.array([$0["stage"] ?? .null, $0["status"] ?? .null, $0["message"] ?? .null])
            }
                == [["conversion", 502, .string(Self.message)]])
        #expect(recorded["end"]?.map { $0["outcome"] } == ["error"])
    }

    @Test func aStreamEndsInAnErrorEventAndTheExchangesError() async throws {
        let (answer, recorded) = try await FailureAfterTheStreamsEndTests.exchange(
            path: "/v1/messages", request: ProxyHarness.messages(model: "gemini", stream: true),
            reply: .eventStream(["data: \(Self.answer)\r\n\r\n"]))
        #expect(answer.status == 200)
        let frames = sseFrames(answer.text)
        #expect(frames.map(\.event) == ["message_start", "ping", "error"], "\(answer.text)")
        #expect(
            try JSONValue(parsing: Array((frames.last?.data ?? "").utf8))
                == ["type": "error", "error": ["type": "api_error", "message": .string(Self.message)]])
        #expect(
            recorded["error"]?.map {
                JSONValue.array([$0["stage"] ?? .null, $0["status"] ?? .null, $0["message"] ?? .null])
            }
                == [["upstream_stream_end", 502, .string(Self.message)]])
        #expect(recorded["end"]?.map { $0["outcome"] } == ["error"])
    }
}
