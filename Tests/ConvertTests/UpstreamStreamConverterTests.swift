import Convert
import SSE
import TestSupport
import Testing
import Wire

@Suite struct UpstreamStreamConverterTests {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func namedErrorEventFromAnOpenAIUpstreamBecomesAnAnthropicError() {
        let events = convertStream(
            Self.bytes(
                "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n"
                    + "event: error\ndata: {\"message\":\"overloaded\",\"code\":529}\n\n"))
        #expect(violations(events) == [])
        let error = try? JSONValue(parsing: events.last?.data ?? "")
        #expect(error?["error"]?["type"] == "overloaded_error")
        #expect(error?["error"]?["message"]?.stringValue?.contains("overloaded") == true)
    }

    @Test func invalidJSONInTheStreamIsAnError() {
        let events = convertStream(Self.bytes("data: {\"id\":\"c\",\"choices\":[]}\n\ndata: <html>oops\n\n"))
        #expect(violations(events) == [])
        #expect(events.map(\.event) == ["error"])
    }

    @Test func eventsMissingOnlyTheirFinalClosersAreRead() {
        let events = convertStream(
            Self.bytes(
                "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]\n\n"
                    + "data: [DONE]\n\n"))
        #expect(violations(events) == [])
        #expect(AssembledMessage(events).blocks.map(\.text) == ["ok"])
        for broken in ["{\"id\":\"c\",\"choices\":[}", "{\"id\":\"c", "[1,2", "{\"a\":1}}"] {
            #expect(convertStream(Self.bytes("data: \(broken)\n\n")).map(\.event) == ["error"], "\(broken)")
        }
    }

    @Test func keepAliveCommentsAndEmptyDataAreIgnored() {
        let events = convertStream(
            Self.bytes(
                ": OPENROUTER PROCESSING\n\ndata:\n\ndata: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
            ))
        #expect(violations(events) == [])
        #expect(AssembledMessage(events).blocks.map(\.text) == ["ok"])
    }

    /// Frames padded with whitespace, ASCII or not, read as the same frames
    /// unpadded (the trim skips its Unicode search only when both ends are
    /// ASCII that is not whitespace).
    @Test(arguments: [" ", "\t", "\u{00A0}", "\u{3000}", " \u{2028}"])
    func framesPaddedWithWhitespaceReadAsTheSameFrames(_ padding: String) {
        let frame =
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}"
        let events = convertStream(
            Self.bytes("data: \(padding)\(frame)\(padding)\n\ndata: \(padding)[DONE]\(padding)\n\n"))
        #expect(violations(events) == [])
        #expect(AssembledMessage(events).blocks.map(\.text) == ["ok"])
        #expect(!events.map(\.event).contains("error"))
    }

    @Test func usageIsReportedForTheProxysEndLine() {
        var converter = UpstreamStreamConverter(route: TestRoutes.openAI, requestedModel: "m")
        #expect(converter.usage == nil)
        _ = converter.receive(
            Self.bytes(
                "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n"
            ))
        #expect(converter.usage?["input_tokens"] == 5)
        #expect(converter.finish(error: nil).map(\.event) == ["message_delta", "message_stop"])
        #expect(converter.finish(error: nil) == [])
        #expect(converter.receive(Self.bytes("data: [DONE]\n\n")) == [])
    }

    @Test func finalFrameWithoutBlankLineStillCounts() {
        let events = convertStream(
            Self.bytes(
                "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}"
            ))
        #expect(violations(events) == [])
        #expect(events.last?.event == "message_stop")
    }

    @Test func everyTranscodedDialectEndsAnUnfinishedStreamWithAnError() {
        for dialect in Dialect.allCases where dialect != .anthropic {
            let route = RouteOptions(modelID: "u", upstreamDialect: dialect, upstreamModel: "m")
            let events = convertStream(Self.bytes("data: {}\n\n"), route: route)
            #expect(events.last?.event == "error", "\(dialect)")
            #expect(violations(events) == [], "\(dialect)")
        }
    }

    /// Found by the stream fuzzer (tools/fuzz.sh): an Anthropic upstream's
    /// tool call went to a client of another dialect unchecked, so arguments
    /// that are not JSON (`{"path \"a"}`) reached it as a finished call.
    @Test func anAnthropicToolCallWhoseArgumentsAreNotJSONIsRefusedForAnotherDialect() {
        let bytes = Self.anthropicStream(toolArguments: [#"{\"path "#, #"\"a\"}"#])
        var relayed = Self.streamConverter(client: .anthropic)
        _ = relayed.convert(bytes)
        #expect(relayed.reportedError == nil, "an Anthropic client gets the frames as they came")
        for dialect in Dialect.allCases where dialect != .anthropic {
            var converter = Self.streamConverter(client: dialect)
            let events = converter.convert(bytes)
            #expect(
                ClientStreamChecker.violations(in: events, dialect: dialect, expectUsage: false) == [], "\(dialect)")
            #expect(converter.reportedError?.message.contains("write") == true, "\(dialect): names the tool")
        }
    }

    /// An Anthropic upstream's stream with one `write` tool call whose
    /// arguments come in `toolArguments` fragments (JSON string contents);
    /// `broken` adds, after the fragments, a frame that is not JSON;
    /// `messageStart: false` leaves out the first frame.
    static func anthropicStream(toolArguments: [String], broken: Bool = false, messageStart: Bool = true) -> [UInt8] {
        var frames = [
            #"{"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"u","content":[],"usage":{"input_tokens":1,"output_tokens":0}}}"#,
            #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"write","input":{}}}"#,
        ]
        for fragment in toolArguments {
            frames.append(
                #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""#
                    + fragment + #""}}"#)
        }
        if broken {
            frames.append(#"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_jso:{"#)
        }
        if !messageStart { frames.removeFirst() }
        frames += [
            #"{"type":"content_block_stop","index":0}"#,
            #"{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":5}}"#,
            #"{"type":"message_stop"}"#,
        ]
        // Each frame named by its type, as Anthropic sends it.
        let named = frames.map { frame in "event: \(frame.split(separator: "\"")[3])\ndata: \(frame)\n\n" }
        return Array(named.joined().utf8)
    }

    /// The proxy's converter for a streaming client of `client`'s dialect on an Anthropic route.
    static func streamConverter(client: Dialect) -> UpstreamStreamConverter {
        let request = try? ClientRequest(
            endpoint: ClientEndpoint(dialect: client, pathModel: "m", pathStream: true),
            body: ["model": "m", "max_tokens": 10, "stream": true, "messages": [["role": "user", "content": "hi"]]])
        return request!.streamConverter(route: TestRoutes.anthropic, createdAt: 0)
    }

    /// Found by the stream fuzzer (tools/fuzz.sh): an Anthropic upstream's
    /// frame that is not JSON was skipped for a client of another dialect,
    /// so a tool call went out with its arguments cut short (`{"path": "a`)
    /// in a stream that then finished as if whole.
    @Test func anAnthropicFrameThatIsNotJSONEndsAConvertedStreamWithAnError() {
        let bytes = Self.anthropicStream(toolArguments: [#"{\"path\": \"a"#], broken: true)
        for dialect in Dialect.allCases where dialect != .anthropic {
            var converter = Self.streamConverter(client: dialect)
            let events = converter.convert(bytes)
            #expect(
                ClientStreamChecker.violations(in: events, dialect: dialect, expectUsage: false) == [], "\(dialect)")
            #expect(converter.reportedError?.message.contains("invalid JSON") == true, "\(dialect)")
        }
    }

    /// Found by the stream fuzzer (tools/fuzz.sh): an Anthropic upstream
    /// that sent no `message_start` gave an OpenAI client chunks with an
    /// empty `id`.
    @Test func anOpenAIClientGetsANonEmptyIDWithoutAMessageStart() {
        var converter = Self.streamConverter(client: .openai)
        let events = converter.convert(Self.anthropicStream(toolArguments: ["{}"], messageStart: false))
        #expect(ClientStreamChecker.violations(in: events, dialect: .openai, expectUsage: false) == [])
        #expect(events.first.flatMap { try? JSONValue(parsing: $0.data) }?["id"]?.stringValue?.isEmpty == false)
    }

    /// Found by the stream fuzzer (tools/fuzz.sh): an Anthropic upstream's
    /// `message_stop` whose payload lost its `type` ended the relay (which
    /// goes by the event name) but not the client's encoder (which went by
    /// the payload), so a Responses client got no `response.completed`.
    @Test func theEventNameDecidesWhatAnAnthropicFrameIs() {
        let text = String(decoding: Self.anthropicStream(toolArguments: ["{}"]), as: UTF8.self)
        let bytes = Array(text.replacingOccurrences(of: #"{"type":"message_stop"}"#, with: #"{"t}pe":"x"}"#).utf8)
        for dialect in Dialect.allCases where dialect != .anthropic {
            var converter = Self.streamConverter(client: dialect)
            let events = converter.convert(bytes)
            #expect(
                ClientStreamChecker.violations(in: events, dialect: dialect, expectUsage: false) == [], "\(dialect)")
            #expect(converter.reportedError == nil, "\(dialect)")
        }
    }

    /// Found by the stream fuzzer (tools/fuzz.sh): a tool call the upstream
    /// never stopped (no `content_block_stop` before `message_stop`) reached
    /// the client's encoder unchecked, arguments cut short (`{"path": "a`).
    @Test func aToolCallThatIsNeverStoppedIsCheckedAtTheMessagesEnd() {
        let text = String(decoding: Self.anthropicStream(toolArguments: [#"{\"path\": \"a"#]), as: UTF8.self)
        let unstopped = text.replacingOccurrences(
            of: "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n", with: "")
        #expect(unstopped != text)
        for dialect in Dialect.allCases where dialect != .anthropic {
            var converter = Self.streamConverter(client: dialect)
            let events = converter.convert(Array(unstopped.utf8))
            #expect(
                ClientStreamChecker.violations(in: events, dialect: dialect, expectUsage: false) == [], "\(dialect)")
        }
    }

    /// Found by the stream fuzzer (tools/fuzz.sh, a 10-minute run): a tool
    /// call the upstream never stopped, followed by another block's start
    /// (here the same tool_use block started again), reached a Responses
    /// client as a finished call with its arguments cut short.
    @Test func aToolCallThatIsNeverStoppedIsCheckedWhereTheNextBlockStarts() throws {
        let text = String(decoding: Self.anthropicStream(toolArguments: [#"{\"path\": \"a"#]), as: UTF8.self)
        let start = try #require(text.range(of: "event: content_block_start\n")?.lowerBound)
        let block = text[start...].prefix { $0 != "}" } + "}}}\n\n"  // the tool_use block's start frame
        let restarted = text.replacingOccurrences(
            of: "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
            with: block + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n")
        #expect(restarted != text)
        for dialect in Dialect.allCases where dialect != .anthropic {
            var converter = Self.streamConverter(client: dialect)
            let events = converter.convert(Array(restarted.utf8))
            #expect(
                ClientStreamChecker.violations(in: events, dialect: dialect, expectUsage: false) == [], "\(dialect)")
            #expect(converter.reportedError?.message.contains("not valid JSON") == true, "\(dialect)")
        }
    }

    /// Found by the stream fuzzer (tools/fuzz.sh): an Anthropic upstream that
    /// sends content after its finishing `message_delta` gave Gemini and
    /// OpenAI clients content after their finish. The late content is dropped.
    @Test func contentAfterTheFinishingDeltaIsNotSentAfterGeminisFinish() {
        let text = String(decoding: Self.anthropicStream(toolArguments: ["{}"]), as: UTF8.self)
        let late =
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,"
            + "\"content_block\":{\"type\":\"text\",\"text\":\"late\"}}\n\n"
        let reordered = text.replacingOccurrences(of: "event: message_stop", with: late + "event: message_stop")
        #expect(reordered != text)
        for dialect in Dialect.allCases where dialect != .anthropic {
            var converter = Self.streamConverter(client: dialect)
            let events = converter.convert(Array(reordered.utf8))
            #expect(
                ClientStreamChecker.violations(in: events, dialect: dialect, expectUsage: false) == [], "\(dialect)")
        }
    }
}
