import Cassette
import Replay
import Testing

/// `verify` on the documented fault cases: an upstream answer the proxy
/// refused on its head, and an exchange a crash cut before its `end` line.
@Suite struct VerifyFaultTests {
    static let upstream = "sonnet (https://api.openai.com/v1)"

    /// A 2xx answer in an encoding the proxy cannot read, `gzip, gzip`, and a
    /// 307 to another host were reported as differing: verify parsed the
    /// body as JSON (or converted it as a stream) instead of checking the
    /// recorded refusal.
    struct Refusal: Sendable {
        var status: Int
        var headers: RecordedHeaders
        var body: String
        var reason: String
    }

    static let refusals = [
        Refusal(
            status: 200, headers: ["content-type": "application/json", "content-encoding": "br"], body: "\u{1B}\u{2}x",
            reason:
                "answered with content-encoding `br`, which the proxy cannot decode (it asks for gzip or deflate only)"),
        Refusal(
            status: 200, headers: ["content-type": "application/json", "content-encoding": "gzip, gzip"],
            body: "\u{1F}\u{8B}", reason: "answered with content-encoding `gzip, gzip`, which the proxy cannot decode"),
        Refusal(
            status: 307, headers: ["location": "http://127.0.0.2:9/x"], body: "",
            reason: "redirected (HTTP 307) to another host, `127.0.0.2:9`; not followed"),
    ]

    @Test(arguments: refusals)
    func aRefusedUpstreamAnswerMatches(refusal: Refusal) throws {
        let (status, headers, body, reason) = (refusal.status, refusal.headers, refusal.body, refusal.reason)
        let path = try ConvertedExchange.temporaryDirectory() + "/refused.jsonl"
        let message = "upstream \(Self.upstream) \(reason)"
        try ConvertedExchange.write(
            try ConvertedExchange.refused(
                id: "x_plain", stream: false, status: status, headers: headers, body: body, message: message)
                + ConvertedExchange.refused(
                    id: "x_stream", stream: true, status: status, headers: headers, body: body, message: message),
            to: path)
        let result = VerifyTests.verify([path])
        #expect(result.output == "2 exchanges, 2 matched, 0 differ\n")
        #expect(result.status == 0)
    }

    /// A refusal recorded with another message than today's is still seen.
    @Test func aChangedRefusalIsADifference() throws {
        let path = try ConvertedExchange.temporaryDirectory() + "/refused.jsonl"
        var lines = try ConvertedExchange.refused(
            id: "x_plain", stream: false, status: 200, headers: ["content-encoding": "br"], body: "",
            message: "upstream answered with content-encoding `br`")
        let index = try #require(lines.firstIndex { $0.knownKind == .clientResponse })
        lines[index]["body"]?["error"]?["message"] = "something else"
        try ConvertedExchange.write(lines, to: path)
        let result = VerifyTests.verify([path])
        #expect(result.status == 1)
        #expect(
            result.output.contains(
                "client_response /error/message: expected \"something else\", actual \"upstream answered with"))
    }

    /// A proxy killed mid-stream leaves an exchange with no `end` line, its
    /// client events a prefix of the stream: verify replayed the whole
    /// stream (ending in an error event for the missing end) and reported
    /// the events the client never got; it compares the prefix, and lists
    /// the exchange as incomplete. Cut after the upstream request too,
    /// before any answer: nothing to compare, and no difference.
    @Test func anExchangeACrashCutShortComparesWhatWasRecorded() throws {
        let stream = try ConvertedExchange.streaming(id: "x_stream")
        let events = stream.indices.filter { stream[$0].knownKind == .clientEvent }
        #expect(events.count > 6)
        let midStream = Array(stream[...events[events.count / 2]])
        let beforeAnswer = try ConvertedExchange.requestLines(
            id: "x_early", request: ConvertedExchange.request(stream: false), route: ConvertedExchange.openAIRoute)
        let path = try ConvertedExchange.temporaryDirectory() + "/torn.jsonl"
        try ConvertedExchange.write(midStream + beforeAnswer, to: path)
        let result = VerifyTests.verify([path])
        // Matched as far as they go, but not counted as matched: a cut-off
        // recording must not pass as a verified one (exit 3).
        let reason = "no end line: the recording stops inside this exchange; it matched as far as it goes"
        #expect(
            result.output
                == "INCOMPLETE x_stream (\(path)): \(reason)\nINCOMPLETE x_early (\(path)): \(reason)\n"
                + "2 exchanges, 0 matched, 0 differ, 2 incomplete (no end line)\n")
        #expect(result.status == 3)

        // A changed frame within the recorded prefix is still seen.
        var edited = midStream
        let first = try #require(edited.firstIndex { $0["data"]?["delta"]?["type"] == "text_delta" })
        edited[first]["data"]?["delta"]?["text"] = "MUTATED"
        let editedPath = try ConvertedExchange.temporaryDirectory() + "/torn.jsonl"
        try ConvertedExchange.write(edited, to: editedPath)
        let mutated = VerifyTests.verify([editedPath])
        #expect(mutated.status == 1)
        #expect(mutated.output.contains("/data/delta/text: expected \"MUTATED\""), "\(mutated.output)")
    }
}
