import TestSupport
import Testing
import Wire

@testable import Convert

/// Where a Gemini thought signature goes back when it came in a part of its
/// own: Google's docs want each signature back in the part it came in, not
/// merged into another.
@Suite struct GeminiSignaturePartTests {
    /// Gemini's answer through the pivot, as an Anthropic client holds it,
    /// then the model turn of the next request.
    static func modelTurnSentBack(_ parts: JSONValue) throws -> String {
        let answer = try ResponseConverter.convert(
            upstreamBody: [
                "candidates": [["content": ["role": "model", "parts": parts], "finishReason": "STOP", "index": 0]],
                "responseId": "r1",
            ],
            route: TestRoutes.gemini, requestedModel: "claude-test")
        let request: JSONValue = [
            "model": "claude-sonnet", "max_tokens": 1024,
            "messages": [
                ["role": "user", "content": "Weather?"],
                ["role": "assistant", "content": answer["content"] ?? []],
                ["role": "user", "content": "Thanks"],
            ],
        ]
        let converted = try RequestConverter.convert(anthropicRequest: request, route: TestRoutes.gemini)
        return try #require(converted.body["contents"]?[1]?["parts"]).serializedString()
    }

    /// The audit's case: a signature in an empty text part after two
    /// parallel calls went onto the second call, and the first got Google's
    /// placeholder as if it had none of its own in the turn. It goes back in
    /// an empty text part, in its place; the first call without a signature
    /// still gets the placeholder, which Gemini 3 wants on it.
    @Test func aSignatureInAnEmptyPartAfterCallsGoesBackInOne() throws {
        let sent = try Self.modelTurnSentBack([
            ["functionCall": ["name": "get_weather", "args": ["city": "Paris"]]],
            ["functionCall": ["name": "get_weather", "args": ["city": "Rome"]]],
            ["text": "", "thoughtSignature": "c2ln"],
        ])
        #expect(
            sent == #"[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}},"#
                + #""thoughtSignature":"skip_thought_signature_validator"},"#
                + #"{"functionCall":{"name":"get_weather","args":{"city":"Rome"}}},"#
                + #"{"text":"","thoughtSignature":"c2ln"}]"#)
    }

    /// Before a call too: the call keeps its own signature, in its id.
    @Test func aSignatureInAnEmptyPartBeforeACallGoesBackInOne() throws {
        let sent = try Self.modelTurnSentBack([
            ["text": "", "thoughtSignature": "c2ln"],
            ["functionCall": ["name": "now", "args": [:]], "thoughtSignature": "b3du"],
        ])
        #expect(
            sent == #"[{"text":"","thoughtSignature":"c2ln"},"#
                + #"{"functionCall":{"name":"now","args":{}},"thoughtSignature":"b3du"}]"#)
    }

    /// A whole text answer has its signature on its text part: it goes back
    /// there. A streamed one ends with it in an empty part, after the text:
    /// dropped, as a carrier there would be the block Claude Code takes as the
    /// answer (GeminiAnswerShapeTests); Gemini needs no text part's signature back.
    @Test func aSignatureOnTheTextGoesBackOnItOneAfterItIsDropped() throws {
        let whole = try Self.modelTurnSentBack([["text": "Sunny.", "thoughtSignature": "c2ln"]])
        #expect(whole == #"[{"text":"Sunny.","thoughtSignature":"c2ln"}]"#)
        let streamed = try Self.modelTurnSentBack([["text": "Sunny."], ["text": "", "thoughtSignature": "c2ln"]])
        #expect(streamed == #"[{"text":"Sunny."}]"#)
    }
}
