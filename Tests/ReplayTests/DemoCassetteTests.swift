import Foundation
import Proxy
import Replay
import SSE
import Testing
import Wire

/// The demo cassette built into the binary.
@Suite struct DemoCassetteTests {
    /// `tools/make-demo-cassette.sh` writes both; an edit to one alone fails here.
    @Test func embeddedTextEqualsTheCommittedCassette() throws {
        let file = try DemoSupport.repositoryRoot().appending(path: "cassettes/demo.jsonl")
        let committed = try String(contentsOf: file, encoding: .utf8)
        #expect(DemoCassette.text == committed, "re-run tools/make-demo-cassette.sh")
    }

    @Test func holdsOneStreamedAndOneWholeAnswerThroughTheDemoRoute() throws {
        let exchanges = try DemoCassette.exchanges()
        #expect(exchanges.map(\.isStreaming) == [true, false])
        for exchange in exchanges {
            #expect(exchange.file == DemoCassette.name)
            #expect(exchange.status == 200)
            #expect(exchange.route?["model_id"]?.stringValue == DemoConfig.modelID)
            #expect(exchange.route?["options"]?["format"] == "openai")
            #expect(exchange.upstreamRequest?["body"]?["model"]?.stringValue == DemoConfig.modelName)
            #expect(exchange.upstreamRequest?["url"]?.stringValue?.hasSuffix("/v1/chat/completions") == true)
        }
        let streamed = try DemoSupport.recordedExchange(streaming: true)
        // Small chunks, so streaming is visible, and usage in a final chunk.
        #expect(streamed.upstreamChunks.count > 50)
        var parser = SSEParser()
        let upstreamEvents = parser.parse(streamed.upstreamChunks.flatMap { $0.chunkBytes ?? [] }) + parser.finish()
        #expect(upstreamEvents.last?.data == "[DONE]")
        let usageChunk = try JSONValue(parsing: Array(try #require(upstreamEvents.dropLast().last).data.utf8))
        #expect(usageChunk["choices"] == [])
        #expect(usageChunk["usage"]?["completion_tokens"]?.intValue ?? 0 > 50)
        #expect(try DemoSupport.recordedStreamedText().contains("Switchboard is a native proxy"))
        #expect(try DemoSupport.recordedMessageText().contains("Switchboard"))
    }

    /// A request equal to the recorded one (the banner's curl example) is an
    /// exact hit, not a nearest guess.
    @Test func theBannersRequestMatchesExactly() throws {
        let stub = try StubUpstream.demo(speed: 0)
        var matcher = StubMatcher(recordings: stub.recordings, ignoring: stub.options.ignore, onMiss: .nearest)
        for exchange in try DemoCassette.exchanges() {
            let body = try #require(exchange.upstreamRequest?.bodyBytes)
            guard
                case .hit(let recording, _, _) = matcher.match(method: "POST", path: "/v1/chat/completions", body: body)
            else {
                Issue.record("the recorded request \(exchange.id) must hit")
                continue
            }
            #expect(recording.exchangeID == exchange.id)
        }
    }
}
