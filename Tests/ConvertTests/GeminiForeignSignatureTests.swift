import Convert
import Testing
import Wire

/// A Gemini client's request passed through to Gemini carries no signature
/// another provider wrote: an earlier turn served by an Anthropic route
/// gave the client Anthropic's signature behind `pivot:`, which Gemini
/// cannot verify.
@Suite struct GeminiForeignSignatureTests {
    static let route = RouteOptions(modelID: "r", upstreamDialect: .gemini, upstreamModel: "gemini-3-pro-preview")

    static func upstreamBody(_ body: JSONValue) throws -> ConvertedRequest {
        let client = try ClientRequest(
            endpoint: ClientEndpoint(dialect: .gemini, pathModel: "m", pathStream: false), body: body)
        return try client.upstreamBody(route: route)
    }

    static func contents(modelParts: [JSONValue]) -> JSONValue {
        [
            "contents": [
                ["role": "user", "parts": [["text": "Weather?"]]],
                ["role": "model", "parts": .array(modelParts)],
                [
                    "role": "user",
                    "parts": [["functionResponse": ["name": "weather", "response": ["output": "Sunny"]]]],
                ],
            ]
        ]
    }

    /// As this proxy gives them (base64 of the prefix and the signature),
    /// as google-genai sends them back (URL-safe), and as it wrote them
    /// before (the prefix in plain text).
    @Test(arguments: [
        Base64.encode(Array("pivot:EqQBCkYIBRgCKkA".utf8)),
        Base64.encode(Array("pivot:Eq~~>>??".utf8)).replacing("+", with: "-").replacing("/", with: "_"),
        "pivot:EqQBCkYIBRgCKkA",
    ])
    func anotherProvidersSignaturesAreNotSentToGemini(signature: String) throws {
        let converted = try Self.upstreamBody(
            Self.contents(modelParts: [
                ["text": "Thinking it over.", "thought": true, "thoughtSignature": .string(signature)],
                ["text": "Let me look.", "thought_signature": .string(signature)],
                ["functionCall": ["name": "weather", "args": [:], "id": "toolu_01"]],
            ]))
        #expect(
            converted.body["contents"]?[1]?["parts"]
                == [
                    ["text": "Let me look."],
                    [
                        "functionCall": ["name": "weather", "args": [:], "id": "toolu_01"],
                        "thoughtSignature": "skip_thought_signature_validator",
                    ],
                ])
        #expect(converted.body["contents"]?[0] == Self.contents(modelParts: [])["contents"]?[0])
        #expect(
            converted.diagnostics.map(\.path) == [
                "/contents/1/parts/0", "/contents/1/parts/1", "/contents/1",
            ])
    }

    /// A turn left with nothing once another provider's thought is gone is
    /// left out: Gemini refuses a turn with no parts.
    @Test func aTurnOfOnlyAnotherProvidersThoughtIsLeftOut() throws {
        let signature = Base64.encode(Array("pivot:EqQB".utf8))
        let converted = try Self.upstreamBody(
            Self.contents(modelParts: [["text": "", "thought": true, "thoughtSignature": .string(signature)]]))
        #expect(converted.body["contents"]?.arrayValue?.count == 2)
        #expect(converted.body["contents"]?[1]?["role"] == "user")
    }

    /// Gemini's own signatures, and calls it made without one, go as the
    /// client sent them, and nothing is noted.
    @Test func geminisOwnSignaturesGoAsTheyCame() throws {
        let body = Self.contents(modelParts: [
            ["text": "Thinking it over.", "thought": true, "thoughtSignature": "CiQBjz1rX2VxYW1wbGU="],
            ["functionCall": ["name": "weather", "args": [:]]],
        ])
        let converted = try Self.upstreamBody(body)
        #expect(converted.body["contents"] == body["contents"])
        #expect(converted.diagnostics.isEmpty)
    }
}
