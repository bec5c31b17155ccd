import Convert
import Testing
import Wire

@Suite struct TokenEstimatorTests {
    @Test func countsCharactersOverFourPlusFixedCosts() {
        let request: JSONValue = [
            "model": "m", "max_tokens": 10,
            "system": "12345678",
            "messages": [
                ["role": "user", "content": [["type": "text", "text": "abcd"], ["type": "image", "source": [:]]]],
                ["role": "assistant", "content": [["type": "tool_use", "id": "t", "name": "n", "input": ["a": 1]]]],
            ],
        ]
        // 8 + 4 + 7 ({"a":1}) = 19 characters -> 5 tokens; 2 messages x 4; one image 1600.
        #expect(TokenEstimator.estimateInputTokens(anthropicRequest: request) == 5 + 8 + 1600)
    }

    @Test func emptyRequestIsZero() {
        #expect(TokenEstimator.estimateInputTokens(anthropicRequest: ["messages": []]) == 0)
    }
}
