import Convert
import TestSupport
import Testing
import Wire

/// Gemini Code Assist's wrapped answers convert exactly as the public
/// API's unwrapped ones, whole and streamed, for every Gemini fixture.
@Suite struct CodeAssistEnvelopeTests {
    static let chunkFiles = Fixtures.argumentFiles(in: "providers/gemini", suffix: ".chunks.txt")

    static func wrapped(_ payload: String) -> String { #"{"response":\#(payload),"traceId":"t-1"}"# }

    @Test func fixturesAreFound() throws {
        try Fixtures.requireFound(Self.chunkFiles, in: "providers/gemini", suffix: ".chunks.txt", atLeast: 4)
    }

    @Test(arguments: chunkFiles)
    func aWrappedStreamConvertsAsTheUnwrappedOne(path: String) throws {
        let payloads = try Fixtures.chunkPayloads(atPath: path)
        let plain = convertStream(Fixtures.sseBytes(payloads: payloads, framing: .dataOnly), route: TestRoutes.gemini)
        let wrapped = convertStream(
            Fixtures.sseBytes(payloads: payloads.map(Self.wrapped), framing: .dataOnly), route: TestRoutes.gemini)
        #expect(!plain.isEmpty)
        #expect(wrapped == plain)
    }

    @Test func aWrappedWholeAnswerConvertsAsTheUnwrappedOne() throws {
        let text = String(
            decoding: try Fixtures.bytes(atPath: try Fixtures.path("providers/gemini/google-text.json")), as: UTF8.self)
        let convert = { (body: String) in
            try ResponseConverter.convert(
                upstreamBody: try JSONValue(parsing: Array(body.utf8)), route: TestRoutes.gemini,
                requestedModel: "claude-test")
        }
        #expect(try convert(Self.wrapped(text)) == (try convert(text)))
    }

    @Test func onlyTheEnvelopeIsUnwrapped() throws {
        let error: JSONValue = ["error": ["code": 429], "response": ["candidates": []]]
        #expect(CodeAssistEnvelope.unwrapped(error) == error)
        let plain: JSONValue = ["candidates": [], "response": ["x": 1]]
        #expect(CodeAssistEnvelope.unwrapped(plain) == plain)
        #expect(CodeAssistEnvelope.unwrapped(["response": "text"]) == ["response": "text"])
        #expect(
            CodeAssistEnvelope.wrapped(["contents": []], model: "gemini-2.5-pro", project: "p-1") == [
                "model": "gemini-2.5-pro", "project": "p-1", "request": ["contents": []],
            ])
    }
}
