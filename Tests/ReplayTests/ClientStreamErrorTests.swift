import Cassette
import Testing
import Wire

@testable import Replay

/// A client stream's error, read the way each dialect reports one.
@Suite struct ClientStreamErrorTests {
    @Test(arguments: [
        // Anthropic
        "event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"x\"}}\n\n",
        // Chat Completions: an error object as data, no event name
        "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"error\":{\"message\":\"upstream cut\",\"type\":\"api_error\"}}\n\n",
        // Gemini
        "data: {\"candidates\":[]}\n\ndata: {\"error\":{\"code\":429,\"message\":\"quota\",\"status\":\"RESOURCE_EXHAUSTED\"}}\n\n",
        // Responses: an error event, then response.failed
        "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"x\"}\n\n",
        "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"error\":{\"message\":\"x\"}}}\n\n",
    ])
    func eachDialectsErrorFrameIsSeen(body: String) {
        #expect(ClientStreamError.reportsError(streamBody: Array(body.utf8)))
    }

    @Test func theWordErrorInAnAnswerIsNoError() {
        let chat =
            "data: {\"choices\":[{\"delta\":{\"content\":\"event: error \\\"error\\\": null\"}}]}\n\ndata: [DONE]\n\n"
        #expect(!ClientStreamError.reportsError(streamBody: Array(chat.utf8)))
        let nullError = "data: {\"id\":\"x\",\"error\":null}\n\n"
        #expect(!ClientStreamError.reportsError(streamBody: Array(nullError.utf8)))
    }

    @Test func recordedChatStreamErrorGivesItsMessage() throws {
        let events: [CassetteEvent] = [
            try #require(
                CassetteEvent(
                    json: try JSONValue(
                        parsing:
                            #"{"kind":"client_event","x":"r","event":null,"data":{"choices":[{"delta":{"content":"a"}}]}}"#
                    ))),
            try #require(
                CassetteEvent(
                    json: try JSONValue(
                        parsing:
                            #"{"kind":"client_event","x":"r","event":null,"data":{"error":{"message":"cut","type":"api_error"}}}"#
                    ))),
        ]
        let error = ClientStreamError.lastError(in: events)
        #expect(error?["message"]?.stringValue == "cut" && error?["type"]?.stringValue == "api_error")
    }

    @Test func aLineSaysWhenOnlyTheStreamErrorDiffers() {
        let result = ReplaySender.Result(
            exchangeID: "r", method: "POST", path: "/v1/chat/completions", recordedStatus: 200,
            recordedStreamError: true, status: 200, streamError: false, failure: nil, missingKeys: [])
        #expect(!result.isSame)
        #expect(result.line == "r  POST /v1/chat/completions  recorded 200 (stream error)  now 200  <- differs")
    }
}
