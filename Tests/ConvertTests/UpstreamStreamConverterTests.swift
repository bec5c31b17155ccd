import Convert
import SSE
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

    @Test func keepAliveCommentsAndEmptyDataAreIgnored() {
        let events = convertStream(
            Self.bytes(
                ": OPENROUTER PROCESSING\n\ndata:\n\ndata: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
            ))
        #expect(violations(events) == [])
        #expect(AssembledMessage(events).blocks.map(\.text) == ["ok"])
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

    @Test func unsupportedUpstreamFormatGivesOneErrorEvent() {
        let route = RouteOptions(modelID: "g", upstreamDialect: .gemini, upstreamModel: "gemini")
        let events = convertStream(Self.bytes("data: {}\n\n"), route: route)
        #expect(events.map(\.event) == ["error"])
        #expect(violations(events) == [])
    }
}
