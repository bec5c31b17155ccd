import Convert
import Foundation
import Testing
import Wire

@Suite struct RouteOptionsJSONTests {
    static let options = RouteOptions(
        modelID: "fast", upstreamDialect: .openai, upstreamModel: "gpt-4o-mini", maxTokensCap: 8000,
        contextWindow: 64000, reasoningEffort: "low", temperature: 0.5,
        extraBody: ["z": 1, "a": ["y": true, "b": false]])

    @Test func recordsKeysInAFixedOrderAndExtraBodyInItsOwn() {
        #expect(
            Self.options.json.serializedString()
                == #"{"model_id":"fast","format":"openai","model_name":"gpt-4o-mini","max_tokens":8000,"#
                + #""context":64000,"reasoning_effort":"low","temperature":0.5,"extra_body":{"z":1,"a":{"y":true,"b":false}}}"#
        )
    }

    @Test func decodesBackToTheSameOptions() throws {
        let decoded = try JSONDecoder().decode(RouteOptions.self, from: Data(Self.options.json.serialized()))
        #expect(decoded == Self.options)
    }
}
