import Convert
import Testing
import Wire

/// A Gemini client's request the proxy cannot convert as written gets
/// Gemini's 400 `INVALID_ARGUMENT`, naming the field as the client wrote
/// it, not the pivot's name for it.
@Suite struct GeminiClientRequestRefusalTests {
    /// The error body a Gemini client of a converted route gets, nil when the request converts.
    static func refusal(_ body: JSONValue) -> JSONValue? {
        let endpoint = ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false)
        do throws(APIError) {
            _ = try ClientRequest(endpoint: endpoint, body: body).upstreamBody(route: TestRoutes.openAI)
            return nil
        } catch {
            return error.rendered(in: .gemini)
        }
    }

    static func invalidArgument(_ message: String) -> JSONValue {
        ["error": ["code": 400, "message": .string(message), "status": "INVALID_ARGUMENT"]]
    }

    static let hello: JSONValue = ["role": "user", "parts": [["text": "Hello"]]]

    @Test func aMaxOutputTokensThatIsNoIntegerIsRefused() {
        #expect(
            Self.refusal(["contents": [Self.hello], "generationConfig": ["maxOutputTokens": "many"]])
                == Self.invalidArgument("generationConfig.maxOutputTokens: must be an integer, got string"))
        #expect(
            Self.refusal(["contents": [Self.hello], "generation_config": ["max_output_tokens": 1.5]])
                == Self.invalidArgument("generation_config.max_output_tokens: must be an integer, got number"))
        // An SDK's float of an integer, and null, are fine.
        #expect(Self.refusal(["contents": [Self.hello], "generationConfig": ["maxOutputTokens": 100.0]]) == nil)
        #expect(Self.refusal(["contents": [Self.hello], "generationConfig": ["maxOutputTokens": nil]]) == nil)
    }

    /// The sampling settings of another type are named as the client wrote
    /// them (the pivot's check said `top_p`); topK is a whole number.
    @Test func aSamplingSettingOfAnotherTypeIsRefusedByItsOwnName() throws {
        #expect(
            Self.refusal(["contents": [Self.hello], "generationConfig": ["temperature": "hot"]])
                == Self.invalidArgument("generationConfig.temperature: must be a number, got string"))
        #expect(
            Self.refusal(["contents": [Self.hello], "generation_config": ["top_p": true]])
                == Self.invalidArgument("generation_config.top_p: must be a number, got boolean"))
        #expect(
            Self.refusal(["contents": [Self.hello], "generationConfig": ["topK": 40.5]])
                == Self.invalidArgument("generationConfig.topK: must be an integer, got 40.5"))
        let endpoint = ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false)
        let body: JSONValue = [
            "contents": [Self.hello], "generationConfig": ["temperature": 0.5, "topP": 1, "topK": 40.0, "seed": nil],
        ]
        let converted = try ClientRequest(endpoint: endpoint, body: body).pivotRequest().body
        #expect(converted["temperature"] == 0.5)
        #expect(converted["top_p"] == 1)
        #expect(converted["top_k"] == .int(40))
    }

    @Test func aRoleOtherThanUserOrModelIsRefused() {
        #expect(
            Self.refusal(["contents": [["role": "model2", "parts": [["text": "Hi"]]]]])
                == Self.invalidArgument(#"contents[0].role: must be "user" or "model", got "model2""#))
        #expect(
            Self.refusal(["contents": [Self.hello, ["role": 7, "parts": [["text": "Hi"]]]]])
                == Self.invalidArgument(#"contents[1].role: must be "user" or "model", got 7"#))
        // No role is the user's, as Gemini reads it.
        #expect(Self.refusal(["contents": [["parts": [["text": "Hi"]]]]]) == nil)
    }

    /// The pivot's "messages: at least one message is required" named a
    /// field a Gemini client never wrote.
    @Test func contentsWithNothingToSendAreRefusedInGeminisWords() {
        #expect(
            Self.refusal(["contents": [["role": "user", "parts": [["bogus": 1]]]]])
                == Self.invalidArgument(
                    "contents: no part the proxy can send (text, inlineData, fileData, functionCall, "
                        + "functionResponse) in any Content"))
        #expect(Self.refusal(["contents": []]) == Self.invalidArgument("contents: at least one Content is required"))
    }
}
