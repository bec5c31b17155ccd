import Convert
import Foundation
import SSE
import TestSupport
import Testing
import Wire

/// What a Gemini client rebuilds from the chunks of a stream.
struct AssembledGeminiResponse {
    var text = ""
    var thoughts = ""
    var thoughtSignatures: [String] = []
    var calls: [JSONValue] = []
    var finishReason: String?
    var usage: JSONValue?
    var error: JSONValue?

    init(_ events: [SSEEvent]) {
        for event in events {
            guard let chunk = try? JSONValue(parsing: event.data) else { continue }
            if let error = chunk["error"] { self.error = error }
            let candidate = chunk["candidates"]?[0]
            for part in candidate?["content"]?["parts"]?.arrayValue ?? [] {
                if let call = part["functionCall"] { calls.append(call) }
                if let signature = part["thoughtSignature"]?.stringValue { thoughtSignatures.append(signature) }
                guard let text = part["text"]?.stringValue else { continue }
                if part["thought"] == true { thoughts += text } else { self.text += text }
            }
            if let reason = candidate?["finishReason"]?.stringValue { finishReason = reason }
            if let usage = chunk["usageMetadata"] { self.usage = usage }
        }
    }
}

@Suite struct GeminiClientStreamTests {
    static let chunkFiles = ProviderStreams.chunkFiles

    /// Upstream bytes through the proxy's converter, for a Gemini client.
    static func geminiStream(
        _ bytes: [UInt8], route: RouteOptions, sliceSize: Int? = nil, error: APIError? = nil
    ) -> [SSEEvent] {
        convertStream(
            bytes, route: route, sliceSize: sliceSize, error: error, requestedModel: "gemini-test",
            encoder: GeminiStreamEncoder(requestedModel: "gemini-test"))
    }

    static func encode(_ events: [AnthropicStreamEvent]) -> [SSEEvent] {
        var encoder = GeminiStreamEncoder(requestedModel: "gemini-test")
        var frames: [SSEEvent] = []
        for event in events { encoder.encode(event, into: &frames) }
        return frames
    }

    @Test func fixturesAreFound() throws {
        try ProviderStreams.requireFound()
        #expect(Self.chunkFiles.count >= 20, "found \(Self.chunkFiles)")
    }

    @Test(arguments: chunkFiles)
    func everyFixtureIsAValidGeminiStreamWithTheSameContent(path: String) throws {
        let bytes = try Fixtures.sseBytes(chunksFile: path)
        let route = ProviderStreams.route(forFile: path)
        let whole = Self.geminiStream(bytes, route: route)
        #expect(GeminiStreamChecker.violations(in: whole) == [], "\(path)")
        #expect(Self.geminiStream(bytes, route: route, sliceSize: 7) == whole, "\(path) in slices of 7")

        let anthropic = AssembledMessage(convertStream(bytes, route: route))
        let gemini = AssembledGeminiResponse(whole)
        let text = anthropic.blocks.filter { $0.type == "text" }.map(\.text).joined()
        let thinking = anthropic.blocks.filter { $0.type == "thinking" }.map(\.text).joined()
        #expect(gemini.text == text, "\(path)")
        #expect(gemini.thoughts == thinking, "\(path)")
        #expect(
            gemini.calls.map { $0["name"]?.stringValue }
                == anthropic.blocks.filter { $0.type == "tool_use" }.map(\.name),
            "\(path)")
        #expect((gemini.error != nil) == (anthropic.error != nil), "\(path)")
        if anthropic.error == nil {
            #expect(gemini.finishReason != nil)
            // Anthropic's output counts the thinking, Gemini's candidates leave it to thoughtsTokenCount.
            let output =
                (gemini.usage?["candidatesTokenCount"]?.intValue ?? 0)
                + (gemini.usage?["thoughtsTokenCount"]?.intValue ?? 0)
            #expect(.int(Int64(output)) == anthropic.usage?["output_tokens"], "\(path)")
        }
    }

    @Test func geminiToolCallArgumentsArriveWhole() throws {
        let path = try Fixtures.path("providers/gemini/google-stream-tool-call-arguments.chunks.txt")
        let events = Self.geminiStream(try Fixtures.sseBytes(chunksFile: path), route: TestRoutes.gemini)
        let response = AssembledGeminiResponse(events)
        #expect(response.calls.map { $0["args"] } == [["location": "Boston"], ["location": "San Francisco"]])
        #expect(response.calls.allSatisfy { $0["id"]?.stringValue?.hasPrefix("toolu_") == true })
        #expect(response.finishReason == "STOP")
        #expect(response.usage?["promptTokenCount"] == 26)
    }

    /// A thought's signature reaches the client as Gemini sent it; one on a
    /// text part after the answer's text (Gemini 3's last, empty part, as in
    /// the recorded fixture) is dropped in the pivot, where it would follow
    /// the answer (GeminiAnswerShapeTests).
    @Test func upstreamThoughtSignatureReachesTheClientAsGeminiSentIt() throws {
        func chunk(_ part: JSONValue, finish: Bool = false) -> String {
            var candidate: JSONObject = ["content": ["role": "model", "parts": [part]], "index": 0]
            if finish { candidate["finishReason"] = "STOP" }
            return JSONValue.object(["candidates": [.object(candidate)], "responseId": "r1"]).serializedString()
        }
        let chunks = [
            chunk(["text": "Hmm", "thought": true, "thoughtSignature": "dGhv"]), chunk(["text": "Hi"]),
            chunk(["text": "", "thoughtSignature": "ZW5k"], finish: true),
        ]
        let events = Self.geminiStream(
            Fixtures.sseBytes(payloads: chunks, framing: .dataOnly), route: TestRoutes.gemini)
        #expect(AssembledGeminiResponse(events).thoughtSignatures == ["dGhv"])
        let path = try Fixtures.path("providers/gemini/google-reasoning.chunks.txt")
        let recorded = Self.geminiStream(try Fixtures.sseBytes(chunksFile: path), route: TestRoutes.gemini)
        #expect(AssembledGeminiResponse(recorded).thoughtSignatures == [])
    }

    @Test func cutStreamEndsInAGeminiErrorFrame() throws {
        let path = try Fixtures.path("providers/gemini/google-text.chunks.txt")
        let payloads = try Fixtures.chunkPayloads(atPath: path)
        let events = Self.geminiStream(
            Fixtures.sseBytes(payloads: Array(payloads.prefix(2)), framing: .dataOnly), route: TestRoutes.gemini)
        #expect(GeminiStreamChecker.violations(in: events) == [])
        let last = try JSONValue(parsing: try #require(events.last).data)
        // A bad gateway is google.rpc UNAVAILABLE: transient, worth a retry.
        #expect(last["error"]?["code"] == 502)
        #expect(last["error"]?["status"] == "UNAVAILABLE")
        #expect(AssembledGeminiResponse(events).text.hasPrefix("There are"))
    }

    @Test func connectionFailureIsAGeminiErrorFrame() throws {
        let events = Self.geminiStream(
            [], route: TestRoutes.gemini, error: APIError(status: 429, type: "rate_limit_error", message: "slow down"))
        #expect(
            events.map(\.data) == [#"{"error":{"code":429,"message":"slow down","status":"RESOURCE_EXHAUSTED"}}"#])
        #expect(GeminiStreamChecker.violations(in: events) == [])
    }

    @Test func thinkingSignatureRidesOnTheLastThoughtPart() throws {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_1", model: "m", usage: ["input_tokens": 3, "output_tokens": 0])),
            .contentBlockStart(index: 0, block: .thinking(thinking: "", signature: "")),
            .contentBlockDelta(index: 0, delta: .thinking("A")),
            .contentBlockDelta(index: 0, delta: .thinking("B")),
            .contentBlockDelta(index: 0, delta: .signature("gemini:c2ln")),
            .contentBlockStop(index: 0),
            .contentBlockStart(index: 1, block: .text("")),
            .contentBlockDelta(index: 1, delta: .text("Hi")),
            .contentBlockStop(index: 1),
            .contentBlockStart(index: 2, block: .toolUse(id: "toolu_1", name: "f", input: [:])),
            .contentBlockDelta(index: 2, delta: .inputJSON(#"{"a":"#)),
            .contentBlockDelta(index: 2, delta: .inputJSON("1}")),
            .contentBlockStop(index: 2),
            .messageDelta(.init(stopReason: "tool_use", stopSequence: nil, usage: ["output_tokens": 7])),
            .messageStop,
        ])
        #expect(GeminiStreamChecker.violations(in: frames) == [])
        #expect(
            frames.map(\.data) == [
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"A","thought":true}]},"index":0}],"modelVersion":"gemini-test","responseId":"msg_1"}"#,
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"B","thought":true,"thoughtSignature":"c2ln"}]},"index":0}],"modelVersion":"gemini-test","responseId":"msg_1"}"#,
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"index":0}],"modelVersion":"gemini-test","responseId":"msg_1"}"#,
                #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"f","args":{"a":1},"id":"toolu_1"}}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":7,"totalTokenCount":10},"modelVersion":"gemini-test","responseId":"msg_1"}"#,
            ])
        #expect(frames.allSatisfy { $0.event == nil })
    }

    /// google-genai's chats keep a streamed turn in the history they send
    /// next only when every chunk has content (3.x and 1.x), and, before
    /// 1.6x, none of it a part that is only `{"text":""}`: the finish rides
    /// on the answer's last part, held back one step, and the text before it
    /// still goes out as it comes.
    @Test func theFinishRidesOnTheLastTextPart() {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_5", model: "m", usage: ["input_tokens": 2, "output_tokens": 0])),
            .contentBlockStart(index: 0, block: .text("")),
            .contentBlockDelta(index: 0, delta: .text("An")),
            .contentBlockDelta(index: 0, delta: .text("n")),
            .contentBlockStop(index: 0),
            .messageDelta(.init(stopReason: "end_turn", stopSequence: nil, usage: ["output_tokens": 1])),
            .messageStop,
        ])
        #expect(GeminiStreamChecker.violations(in: frames) == [])
        #expect(
            frames.map(\.data) == [
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"An"}]},"index":0}],"modelVersion":"gemini-test","responseId":"msg_5"}"#,
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"n"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":1,"totalTokenCount":3},"modelVersion":"gemini-test","responseId":"msg_5"}"#,
            ])
    }

    /// Streaming stays incremental: each part goes out once the next one
    /// comes, so only the latest is ever held.
    @Test func onlyTheLatestPartIsHeldBack() {
        var encoder = GeminiStreamEncoder(requestedModel: "gemini-test")
        var frames: [SSEEvent] = []
        encoder.encode(.messageStart(.init(id: "msg_6", model: "m", usage: [:])), into: &frames)
        encoder.encode(.contentBlockStart(index: 0, block: .text("")), into: &frames)
        encoder.encode(.contentBlockDelta(index: 0, delta: .text("a")), into: &frames)
        #expect(frames.isEmpty)
        encoder.encode(.contentBlockDelta(index: 0, delta: .text("b")), into: &frames)
        #expect(AssembledGeminiResponse(frames).text == "a")
        encoder.encode(.contentBlockDelta(index: 0, delta: .text("c")), into: &frames)
        #expect(AssembledGeminiResponse(frames).text == "ab")
    }

    /// An answer of thinking only: the signed thought carries the finish.
    @Test func theFinishRidesOnTheLastSignedThought() {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_7", model: "m", usage: ["input_tokens": 1, "output_tokens": 0])),
            .contentBlockStart(index: 0, block: .thinking(thinking: "", signature: "")),
            .contentBlockDelta(index: 0, delta: .thinking("Hm")),
            .contentBlockDelta(index: 0, delta: .signature("gemini:c2ln")),
            .contentBlockStop(index: 0),
            .messageDelta(.init(stopReason: "end_turn", stopSequence: nil, usage: ["output_tokens": 1])),
            .messageStop,
        ])
        #expect(GeminiStreamChecker.violations(in: frames) == [])
        #expect(
            frames.map(\.data) == [
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Hm","thought":true,"thoughtSignature":"c2ln"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2},"modelVersion":"gemini-test","responseId":"msg_7"}"#
            ])
    }

    /// A signature is its own block's: a thinking block that is only a
    /// signature does not sign the unsigned thought of the block before.
    @Test func aSignatureDoesNotSignTheBlockBefore() {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_8", model: "m", usage: [:])),
            .contentBlockStart(index: 0, block: .thinking(thinking: "", signature: "")),
            .contentBlockDelta(index: 0, delta: .thinking("A")),
            .contentBlockStop(index: 0),
            .contentBlockStart(index: 1, block: .thinking(thinking: "", signature: "")),
            .contentBlockDelta(index: 1, delta: .signature("gemini:c2ln")),
            .contentBlockStop(index: 1),
            .messageDelta(.init(stopReason: "end_turn", stopSequence: nil, usage: ["output_tokens": 1])),
        ])
        #expect(
            frames.map(\.data) == [
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"A","thought":true}]},"index":0}],"modelVersion":"gemini-test","responseId":"msg_8"}"#,
                #"{"candidates":[{"content":{"role":"model","parts":[{"thought":true,"thoughtSignature":"c2ln"}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":0,"candidatesTokenCount":1,"totalTokenCount":1},"modelVersion":"gemini-test","responseId":"msg_8"}"#,
            ])
    }

    /// A text-less thinking block's signature after text rides on that
    /// text, as a whole answer's parts have it and the request side reads
    /// it back; text before a tool call is not held while the call's
    /// arguments come.
    @Test func aSignatureAfterTextRidesOnItAndACallDoesNotHoldTheText() {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_10", model: "m", usage: [:])),
            .contentBlockStart(index: 0, block: .text("")),
            .contentBlockDelta(index: 0, delta: .text("Hi")),
            .contentBlockStop(index: 0),
            .contentBlockStart(index: 1, block: .thinking(thinking: "", signature: "")),
            .contentBlockDelta(index: 1, delta: .signature("gemini:c2ln")),
            .contentBlockStop(index: 1),
            .contentBlockStart(index: 2, block: .text("")),
            .contentBlockDelta(index: 2, delta: .text("Writing.")),
            .contentBlockStop(index: 2),
            .contentBlockStart(index: 3, block: .toolUse(id: "toolu_w", name: "write", input: [:])),
        ])
        #expect(
            frames.map(\.data) == [
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi","thoughtSignature":"c2ln"}]},"index":0}],"modelVersion":"gemini-test","responseId":"msg_10"}"#,
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Writing."}]},"index":0}],"modelVersion":"gemini-test","responseId":"msg_10"}"#,
            ])
    }

    /// Parallel calls: each goes out whole when the next one comes; the
    /// last carries the finish.
    @Test func theFinishRidesOnTheLastFunctionCall() {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_9", model: "m", usage: ["input_tokens": 4, "output_tokens": 0])),
            .contentBlockStart(index: 0, block: .toolUse(id: "toolu_a", name: "f", input: [:])),
            .contentBlockDelta(index: 0, delta: .inputJSON(#"{"x":1}"#)),
            .contentBlockStop(index: 0),
            .contentBlockStart(index: 1, block: .toolUse(id: "toolu_b", name: "g", input: [:])),
            .contentBlockStop(index: 1),
            .messageDelta(.init(stopReason: "tool_use", stopSequence: nil, usage: ["output_tokens": 5])),
            .messageStop,
        ])
        #expect(GeminiStreamChecker.violations(in: frames) == [])
        #expect(
            frames.map(\.data) == [
                #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"f","args":{"x":1},"id":"toolu_a"}}]},"index":0}],"modelVersion":"gemini-test","responseId":"msg_9"}"#,
                #"{"candidates":[{"content":{"role":"model","parts":[{"functionCall":{"name":"g","args":{},"id":"toolu_b"}}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":4,"candidatesTokenCount":5,"totalTokenCount":9},"modelVersion":"gemini-test","responseId":"msg_9"}"#,
            ])
    }

    /// An answer with no part at all: the finish has an empty text part,
    /// the only content there is to give. google-genai 1.x before 1.6x
    /// leaves such a turn out of its chat history whatever it gets (no
    /// content, no parts and an empty text all read as a failed answer).
    @Test func anEmptyAnswerFinishesWithAnEmptyTextPart() {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_10", model: "m", usage: ["input_tokens": 2, "output_tokens": 0])),
            .contentBlockStart(index: 0, block: .text("")),
            .contentBlockStop(index: 0),
            .messageDelta(.init(stopReason: "end_turn", stopSequence: nil, usage: ["output_tokens": 0])),
            .messageStop,
        ])
        #expect(GeminiStreamChecker.violations(in: frames) == [])
        #expect(
            frames.map(\.data) == [
                #"{"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":0,"totalTokenCount":2},"modelVersion":"gemini-test","responseId":"msg_10"}"#
            ])
    }

    /// A stream cut mid-answer: the held part goes out before the error frame.
    @Test func theHeldPartGoesOutBeforeAnError() {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_11", model: "m", usage: [:])),
            .contentBlockStart(index: 0, block: .text("")),
            .contentBlockDelta(index: 0, delta: .text("Par")),
            .error(APIError(status: 529, type: "overloaded_error", message: "busy")),
        ])
        #expect(AssembledGeminiResponse(frames).text == "Par")
        #expect(frames.count == 2)
        #expect(GeminiStreamChecker.violations(in: frames) == [])
    }

    /// Arguments cut by the output limit are not a call to run (`{}` in
    /// their place ran it without them): the call is left out, as Gemini
    /// sends a call whole or not at all. A signature alone is an empty thought.
    @Test func cutToolInputIsLeftOutAndSignatureAloneIsAnEmptyThought() {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_2", model: "m", usage: [:])),
            .contentBlockStart(index: 0, block: .thinking(thinking: "", signature: "")),
            .contentBlockDelta(index: 0, delta: .signature("sig")),
            .contentBlockStop(index: 0),
            .contentBlockStart(index: 1, block: .toolUse(id: "toolu_2", name: "g", input: [:])),
            .contentBlockDelta(index: 1, delta: .inputJSON(#"{"a":"#)),
            .contentBlockStop(index: 1),
            .messageDelta(.init(stopReason: "max_tokens", stopSequence: nil, usage: ["output_tokens": 1])),
            .messageStop,
        ])
        let response = AssembledGeminiResponse(frames)
        #expect(response.thoughtSignatures == ["cGl2b3Q6c2ln"])
        #expect(response.calls == [])
        #expect(response.finishReason == "MAX_TOKENS")
        #expect(GeminiStreamChecker.violations(in: frames) == [])
    }

    /// Arguments that are not JSON without the limit to blame: Gemini's
    /// finish for it. A call without arguments is `{}`.
    @Test func brokenToolInputEndsAsAMalformedCall() {
        let frames = Self.encode([
            .messageStart(.init(id: "msg_3", model: "m", usage: [:])),
            .contentBlockStart(index: 0, block: .toolUse(id: "toolu_3", name: "g", input: [:])),
            .contentBlockDelta(index: 0, delta: .inputJSON(#"{"a":1}}"#)),
            .contentBlockStop(index: 0),
            .contentBlockStart(index: 1, block: .toolUse(id: "toolu_4", name: "h", input: [:])),
            .contentBlockStop(index: 1),
            .messageDelta(.init(stopReason: "tool_use", stopSequence: nil, usage: ["output_tokens": 1])),
            .messageStop,
        ])
        let response = AssembledGeminiResponse(frames)
        #expect(response.calls == [["name": "h", "args": [:], "id": "toolu_4"]])
        #expect(response.finishReason == "MALFORMED_FUNCTION_CALL")
    }

    /// Content before the message_start (an upstream out of order), then
    /// one or two message_starts: every frame keeps the responseId the
    /// first frame carried.
    @Test func aLateMessageStartKeepsTheResponseID() {
        let frames = Self.encode([
            .contentBlockStart(index: 0, block: .text("")),
            .contentBlockDelta(index: 0, delta: .text("Hi")),
            .messageStart(.init(id: "msg_late", model: "m", usage: [:])),
            .contentBlockDelta(index: 0, delta: .text(" there")),
            .messageStart(.init(id: "msg_later", model: "m", usage: [:])),
            .contentBlockStop(index: 0),
            .messageDelta(.init(stopReason: "end_turn", stopSequence: nil, usage: ["output_tokens": 2])),
            .messageStop,
        ])
        let ids = Set(frames.compactMap { try? JSONValue(parsing: Array($0.data.utf8))["responseId"] })
        #expect(ids.count == 1)
        #expect(GeminiStreamChecker.violations(in: frames) == [])
        // Before any frame, the message_start's id is the one used.
        let started = Self.encode([
            .messageStart(.init(id: "msg_1", model: "m", usage: [:])),
            .contentBlockStart(index: 0, block: .text("")),
            .contentBlockDelta(index: 0, delta: .text("Hi")),
            .contentBlockStop(index: 0),
            .messageStop,
        ])
        #expect(Set(started.compactMap { try? JSONValue(parsing: Array($0.data.utf8))["responseId"] }) == ["msg_1"])
    }

    @Test func checkerCatchesBrokenStreams() {
        let good =
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":""}]},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2},"modelVersion":"m","responseId":"r"}"#
        let emptyParts =
            #"{"candidates":[{"content":{"role":"model","parts":[]},"index":0}],"modelVersion":"m","responseId":"r"}"#
        let noContent =
            #"{"candidates":[{"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1,"totalTokenCount":2},"modelVersion":"m","responseId":"r"}"#
        #expect(GeminiStreamChecker.violations(in: [SSEEvent(data: good)]) == [])
        #expect(
            GeminiStreamChecker.violations(in: [SSEEvent(data: noContent)]) == ["frame 0: the candidate has no content"]
        )
        #expect(!GeminiStreamChecker.violations(in: [SSEEvent(data: emptyParts), SSEEvent(data: good)]).isEmpty)
        #expect(!GeminiStreamChecker.violations(in: [SSEEvent(data: good), SSEEvent(data: good)]).isEmpty)
        #expect(!GeminiStreamChecker.violations(in: [SSEEvent(data: emptyParts)]).isEmpty)
        let error = #"{"error":{"code":500,"message":"x","status":"INTERNAL"}}"#
        #expect(!GeminiStreamChecker.violations(in: [SSEEvent(data: error), SSEEvent(data: good)]).isEmpty)
    }
}
