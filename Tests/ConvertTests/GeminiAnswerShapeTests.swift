import Convert
import TestSupport
import Testing
import Wire

/// The block list Claude Code reads from a Gemini answer: it takes the last
/// block as its result and shows each text block as a message, so an
/// answer's text is one block, last, never followed or split by a thinking
/// block carrying a text part's signature (found with the real CLI: `claude
/// -p` printed an empty line, or only the text after the carrier).
@Suite struct GeminiAnswerShapeTests {
    static let dropped =
        "thought signature on a text part after the answer's text; dropped"
        + " (Gemini needs it back only on function calls)"

    /// The stream's events through the converter the proxy uses, and its diagnostics.
    static func streamed(_ bytes: [UInt8]) -> (message: AssembledMessage, diagnostics: [ConversionDiagnostic]) {
        var converter = UpstreamStreamConverter(route: TestRoutes.gemini, requestedModel: "claude-test")
        let events = feed(bytes, to: &converter)
        #expect(violations(events) == [])
        return (AssembledMessage(events), converter.takeDiagnostics())
    }

    static func streamed(chunks: [JSONValue]) -> (message: AssembledMessage, diagnostics: [ConversionDiagnostic]) {
        streamed(Fixtures.sseBytes(payloads: chunks.map { $0.serializedString() }, framing: .dataOnly))
    }

    static func whole(_ parts: JSONValue) throws -> ConvertedResponse {
        try ResponseConverter.convertWithDiagnostics(
            upstreamBody: [
                "candidates": [["content": ["role": "model", "parts": parts], "finishReason": "STOP", "index": 0]],
                "responseId": "r1",
            ],
            route: TestRoutes.gemini, requestedModel: "claude-test")
    }

    static func chunk(_ parts: JSONValue, finish: String? = nil) -> JSONValue {
        var candidate: JSONObject = ["content": ["role": "model", "parts": parts], "index": 0]
        if let finish { candidate["finishReason"] = .string(finish) }
        return ["candidates": [.object(candidate)], "responseId": "r1"]
    }

    /// Real Gemini 3: the answer's text, then an empty text part with the
    /// signature. The answer is the one and last block; the signature is
    /// dropped with a note.
    @Test(arguments: ["google-reasoning", "google-text"])
    func aStreamedAnswerEndsWithItsText(fixture: String) throws {
        let path = try Fixtures.path("providers/gemini/\(fixture).chunks.txt")
        let (message, diagnostics) = Self.streamed(try Fixtures.sseBytes(chunksFile: path))
        #expect(message.blocks.map(\.type) == ["text"])
        let texts = try Fixtures.chunkPayloads(atPath: path).map { payload in
            try JSONValue(parsing: payload)["candidates"]?[0]?["content"]?["parts"]?[0]?["text"]?.stringValue ?? ""
        }
        #expect(message.blocks.first?.text == texts.joined())
        #expect(message.stopReason == "end_turn")
        #expect(
            diagnostics == [
                ConversionDiagnostic(severity: .debug, path: "/candidates/0/content/parts/0", message: Self.dropped)
            ])
    }

    @Test func theReasoningFixtureReadsAsItsWholeAnswer() throws {
        let path = try Fixtures.path("providers/gemini/google-reasoning.chunks.txt")
        let (message, _) = Self.streamed(try Fixtures.sseBytes(chunksFile: path))
        #expect(
            message.blocks.map(\.text) == [
                "There are **3** \"r\"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y."
            ])
    }

    /// The whole answer has its signature on its one text part, before any
    /// text: kept, in a carrier before the text, and sent back on the text.
    @Test func aWholeAnswerKeepsItsSignatureBeforeItsText() throws {
        let upstream = try JSONValue(
            parsing: Fixtures.bytes(atPath: Fixtures.path("providers/gemini/google-reasoning.json")))
        let part = upstream["candidates"]?[0]?["content"]?["parts"]?[0]
        let signature = try #require(part?["thoughtSignature"]?.stringValue)
        let message = try ResponseConverter.convert(
            upstreamBody: upstream, route: TestRoutes.gemini, requestedModel: "claude-test")
        #expect(
            message["content"] == [
                ["type": "thinking", "thinking": "", "signature": .string("gemini:" + signature)],
                ["type": "text", "text": part?["text"] ?? .null],
            ])
        let sent = try Self.modelTurnSentBack(message["content"] ?? [])
        #expect(sent == [["text": part?["text"] ?? .null, "thoughtSignature": .string(signature)]])
    }

    /// A signature on a text part mid-answer no longer splits it in two.
    @Test func aSignatureMidAnswerSplitsNothing() throws {
        let parts: [JSONValue] = [["text": "Hello "], ["text": "world", "thoughtSignature": "c2ln"], ["text": "!"]]
        let (message, diagnostics) = Self.streamed(chunks: [
            Self.chunk([parts[0]]), Self.chunk([parts[1]]), Self.chunk([parts[2]], finish: "STOP"),
        ])
        #expect(message.blocks.map(\.type) == ["text"])
        #expect(message.blocks.map(\.text) == ["Hello world!"])
        #expect(diagnostics.map(\.path) == ["/candidates/0/content/parts/0"])
        let converted = try Self.whole(.array(parts))
        #expect(converted.body["content"] == [["type": "text", "text": "Hello world!"]])
        #expect(
            converted.diagnostics == [
                ConversionDiagnostic(severity: .debug, path: "/candidates/0/content/parts/1", message: Self.dropped)
            ])
    }

    /// Adjacent text parts of a whole answer are one block, as in a stream:
    /// each its own block, Claude Code showed four messages, its result ".".
    @Test func adjacentTextPartsAreOneBlock() throws {
        let converted = try Self.whole([
            ["text": "Hello there"], ["text": ", this is o"], ["text": "ne sentence"], ["text": "."],
        ])
        #expect(converted.body["content"] == [["type": "text", "text": "Hello there, this is one sentence."]])
        #expect(converted.diagnostics == [])
    }

    /// Thoughts, a call and the text before the answer keep their signatures
    /// where they were; the answer's text is one block, after them.
    @Test func signaturesBeforeTheAnswerAreKept() throws {
        let parts: JSONValue = [
            ["text": "Hmm", "thought": true, "thoughtSignature": "dGhv"],
            ["functionCall": ["name": "now", "args": [:]], "thoughtSignature": "Y2Fs"],
            ["text": "", "thoughtSignature": "ZW1w"],
            ["text": "It is ", "thoughtSignature": "dGV4"], ["text": "noon."],
        ]
        let converted = try Self.whole(parts)
        let content = try #require(converted.body["content"]?.arrayValue)
        #expect(content.map { $0["type"] } == ["thinking", "tool_use", "thinking", "thinking", "text"])
        #expect(
            content.map { $0["signature"] } == [
                "gemini:dGhv", nil, "gemini:ZW1w", "gemini:dGV4", nil,
            ])
        #expect(content.last?["text"] == "It is noon.")
        #expect(converted.diagnostics == [])
        let (message, diagnostics) = Self.streamed(chunks: [Self.chunk(parts, finish: "STOP")])
        #expect(message.blocks.map(\.type) == ["thinking", "tool_use", "thinking", "thinking", "text"])
        #expect(message.blocks.map(\.signature) == ["gemini:dGhv", nil, "gemini:ZW1w", "gemini:dGV4", nil])
        #expect(message.blocks.last?.text == "It is noon.")
        #expect(diagnostics == [])
    }

    /// The model turn of the next request to Gemini, with `content` as the
    /// assistant's answer.
    static func modelTurnSentBack(_ content: JSONValue) throws -> JSONValue {
        let request: JSONValue = [
            "model": "claude-sonnet", "max_tokens": 1024,
            "messages": [
                ["role": "user", "content": "How many r?"],
                ["role": "assistant", "content": content],
                ["role": "user", "content": "Thanks"],
            ],
        ]
        let converted = try RequestConverter.convert(anthropicRequest: request, route: TestRoutes.gemini)
        return try #require(converted.body["contents"]?[1]?["parts"])
    }
}
