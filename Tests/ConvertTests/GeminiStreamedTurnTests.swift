import Convert
import Testing
import Wire

/// google-genai's `chats.send_message_stream` keeps each streamed chunk as
/// a model Content of its own; the next request's history holds the answer
/// as fragments, which go upstream as the one text they are.
@Suite struct GeminiStreamedTurnTests {
    static func upstream(_ contents: JSONValue, route: RouteOptions) throws -> JSONValue {
        let pivot = try GeminiClientCodec.decodeRequest(["contents": contents], model: "claude-test", stream: false)
        return try RequestConverter.convert(anthropicRequest: pivot.body, route: route).body
    }

    /// "It is 21 in Paris." streamed in three chunks, the last one empty
    /// (Gemini's closing chunk), then the user's next question.
    static let streamedHistory: JSONValue = [
        ["role": "user", "parts": [["text": "Weather?"]]],
        ["role": "model", "parts": [["text": "It is 2"]]],
        ["role": "model", "parts": [["text": "1 in Pa"]]],
        ["role": "model", "parts": [["text": "ris."], ["text": ""]]],
        ["role": "user", "parts": [["text": "And Rome?"]]],
    ]

    @Test func aStreamedAnswersFragmentsAreOneTextForChat() throws {
        let body = try Self.upstream(Self.streamedHistory, route: TestRoutes.openAI)
        #expect(
            body["messages"]?.serializedString()
                == #"[{"role":"user","content":"Weather?"},{"role":"assistant","content":"It is 21 in Paris."},"#
                + #"{"role":"user","content":"And Rome?"}]"#)
    }

    /// Two answers with a user turn left out between them (nothing in it
    /// the proxy can send) are one assistant message, but not one text.
    @Test func answersAcrossATurnLeftOutAreNotJoined() throws {
        let pivot = try GeminiClientCodec.decodeRequest(
            [
                "contents": [
                    ["role": "user", "parts": [["text": "hi"]]],
                    ["role": "model", "parts": [["text": "A."]]],
                    ["role": "user", "parts": [["videoMetadata": ["fps": 1]]]],
                    ["role": "model", "parts": [["text": "B."]]],
                    ["role": "user", "parts": [["text": "and?"]]],
                ]
            ], model: "claude-test", stream: false)
        #expect(
            pivot.body["messages"]?[1]?["content"]
                == [["type": "text", "text": "A."], ["type": "text", "text": "B."]])
    }

    @Test func aStreamedAnswersFragmentsAreOneTextForResponses() throws {
        let body = try Self.upstream(Self.streamedHistory, route: TestRoutes.responses)
        #expect(
            body["input"]?.serializedString()
                == #"[{"role":"user","content":[{"type":"input_text","text":"Weather?"}]},"#
                + #"{"role":"assistant","content":"It is 21 in Paris."},"#
                + #"{"role":"user","content":[{"type":"input_text","text":"And Rome?"}]}]"#)
    }

    /// Within one turn too, as google-genai's `.text` joins a Content's parts.
    @Test func aTurnsAdjacentTextPartsAreOneBlock() throws {
        let pivot = try GeminiClientCodec.decodeRequest(
            [
                "contents": [
                    ["role": "user", "parts": [["text": "Hi"]]],
                    ["role": "model", "parts": [["text": "Hel"], ["text": "lo"]]],
                ]
            ], model: "claude-test", stream: false)
        #expect(pivot.body["messages"]?[1]?["content"] == [["type": "text", "text": "Hello"]])
    }

    /// A function call between two texts stays between them, and a part's
    /// signature stays with the text it closes: the text after it is not
    /// joined to that one.
    @Test func callsAndSignaturesKeepTheirPlace() throws {
        let contents: JSONValue = [
            ["role": "user", "parts": [["text": "Weather?"]]],
            ["role": "model", "parts": [["text": "Let me "]]],
            ["role": "model", "parts": [["text": "look."], ["functionCall": ["name": "w", "args": [:]]]]],
            ["role": "model", "parts": [["text": "Calling"]]],
            ["role": "model", "parts": [["text": " now.", "thoughtSignature": "c2ln"]]],
            ["role": "model", "parts": [["text": "Done"]]],
        ]
        let pivot = try GeminiClientCodec.decodeRequest(["contents": contents], model: "claude-test", stream: false)
        let blocks = try #require(pivot.body["messages"]?[1]?["content"]?.arrayValue)
        #expect(blocks.map { $0["type"] } == ["text", "tool_use", "text", "thinking", "text"])
        #expect(blocks.map { $0["text"] } == ["Let me look.", nil, "Calling now.", nil, "Done"])
        let gemini = try Self.upstream(contents, route: TestRoutes.gemini)
        #expect(
            gemini["contents"]?[1]?["parts"]?.serializedString()
                == #"[{"text":"Let me look."},{"functionCall":{"name":"w","args":{}},"#
                + #""thoughtSignature":"skip_thought_signature_validator"},"#
                + #"{"text":"Calling now.","thoughtSignature":"c2ln"},{"text":"Done"}]"#)
    }

    /// A model turn with nothing to send between two others is left out,
    /// and the texts around it still join.
    @Test func anEmptyModelTurnIsLeftOut() throws {
        let pivot = try GeminiClientCodec.decodeRequest(
            [
                "contents": [
                    ["role": "user", "parts": [["text": "Hi"]]],
                    ["role": "model", "parts": [["text": "A"]]],
                    ["role": "model", "parts": [["text": ""]]],
                    ["role": "model", "parts": [["text": "B"]]],
                ]
            ], model: "claude-test", stream: false)
        #expect(pivot.body["messages"]?[1]?["content"] == [["type": "text", "text": "AB"]])
        #expect(pivot.diagnostics.map(\.path) == ["/contents/2"])
    }
}
