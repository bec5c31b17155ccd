import Cassette
import Foundation
import Replay
import SSE
import Testing
import Wire

@Suite struct VerifyTests {
    static func verify(
        _ paths: [String], level: VerifyLevel = .events, update: Bool = false, json: Bool = false
    )
        -> (status: Int32, output: String, errors: String)
    {
        var output = ""
        var errors = ""
        let status = LogReplayCommands.verify(
            paths: paths, verifier: ExchangeVerifier(level: level), update: update, json: json, verbose: false,
            output: &output, errors: &errors)
        return (status, output, errors)
    }

    static func freshCassette(extension ext: String = "jsonl") throws -> String {
        let path = try ConvertedExchange.temporaryDirectory() + "/session.\(ext)"
        try ConvertedExchange.write(
            try ConvertedExchange.streaming(id: "x_stream") + ConvertedExchange.plain(id: "x_plain")
                + ConvertedExchange.rateLimited(id: "x_429"), to: path)
        return path
    }

    @Test(arguments: VerifyLevel.allCases)
    func aFreshRecordingMatches(level: VerifyLevel) throws {
        let result = Self.verify([try Self.freshCassette()], level: level)
        #expect(result.output == "3 exchanges, 3 matched, 0 differ\n")
        #expect(result.status == 0)
    }

    /// Changes the text of the first text delta in the stream.
    static func mutateFirstTextDelta(in path: String) throws -> Int {
        let contents = try CassetteReader.read(path: path)
        var index = 0
        var mutated: Int?
        let events = contents.events.map { line -> CassetteEvent in
            guard line.knownKind == .clientEvent else { return line }
            defer { index += 1 }
            guard mutated == nil, line["data"]?["delta"]?["type"] == "text_delta" else { return line }
            mutated = index
            var changed = line
            changed["data"]?["delta"]?["text"] = "MUTATED"
            return changed
        }
        try FileManager.default.removeItem(atPath: path)
        try ConvertedExchange.write(events, to: path)
        return try #require(mutated)
    }

    /// A client the proxy let go mid-stream (it read nothing for
    /// `--header-timeout`: an error at stage `client`) saw only the events
    /// recorded, as one that hung up did; a replay that makes more matches.
    @Test(arguments: [CassetteOutcome.clientCancelled, .error])
    func aStreamTheClientLeftMatchesItsRecordedPrefix(outcome: CassetteOutcome) throws {
        var lines = try ConvertedExchange.streaming(id: "x_left")
        let end = lines.removeLast()
        let events = lines.indices.filter { lines[$0].kind == "client_event" }
        lines.removeSubrange(events[2]...(events.last ?? 0))
        if outcome == .error {
            lines.append(
                .error(
                    exchange: "x_left", timeMicros: 5000, stage: .client, type: "timeout_error",
                    message: "the client sent or read nothing for 60 s (--header-timeout)", status: 408))
        }
        lines.append(
            .end(
                exchange: "x_left", timeMicros: 5001, outcome: outcome, status: 200, durationMicros: 5001,
                ttfbMicros: 1001, usage: end["usage"], droppedEvents: 0))
        let path = try ConvertedExchange.temporaryDirectory() + "/left.jsonl"
        try ConvertedExchange.write(lines, to: path)
        #expect(Self.verify([path]).output == "1 exchanges, 1 matched, 0 differ\n")
    }

    @Test func aMutatedFrameIsReportedAtItsPointer() throws {
        let path = try Self.freshCassette()
        let index = try Self.mutateFirstTextDelta(in: path)
        let result = Self.verify([path])
        #expect(result.status == 1)
        #expect(result.output.contains("DIFF x_stream (\(path))"))
        #expect(result.output.contains("client_events /\(index)/data/delta/text: expected \"MUTATED\", actual"))
        #expect(result.output.hasSuffix("3 exchanges, 2 matched, 1 differ\n"))

        let json = try JSONValue(parsing: Self.verify([path], json: true).output)
        let differing = try #require(json["results"]?.arrayValue?.first { $0["status"] == "differs" })
        #expect(differing["x"] == "x_stream")
        #expect(differing["file"] == .string(path))
        #expect(
            differing["differences"]?[0]
                == [
                    "leg": "client_events", "pointer": .string("/\(index)/data/delta/text"), "expected": "MUTATED",
                    "actual": differing["differences"]?[0]?["actual"] ?? nil,
                ])
    }

    @Test func semanticLevelSeesTheMergedText() throws {
        let path = try Self.freshCassette()
        _ = try Self.mutateFirstTextDelta(in: path)
        let result = Self.verify([path], level: .semantic)
        #expect(result.status == 1)
        #expect(result.output.contains("client_events /content/0/text: expected \"MUTATED"))
    }

    @Test func eventsLevelIgnoresVolatileIdsButBytesLevelDoesNot() throws {
        let path = try Self.freshCassette()
        let contents = try CassetteReader.read(path: path)
        let events = contents.events.map { line -> CassetteEvent in
            guard line.knownKind == .clientEvent, line["event"] == "message_start" else { return line }
            var changed = line
            changed["data"]?["message"]?["id"] = "msg_other"
            return changed
        }
        try FileManager.default.removeItem(atPath: path)
        try ConvertedExchange.write(events, to: path)
        #expect(Self.verify([path]).status == 0)
        let bytes = Self.verify([path], level: .bytes)
        #expect(bytes.status == 1)
        #expect(bytes.output.contains("client_events /0:"))
    }

    @Test(arguments: ["jsonl", "jsonl.lz4"])
    func updateThenVerifyPasses(extension ext: String) throws {
        let path = try Self.freshCassette(extension: ext)
        _ = try Self.mutateFirstTextDelta(in: path)
        // A corpus file others may read stays readable once rewritten.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let before = try CassetteReader.read(path: path)
        let update = Self.verify([path], update: true)
        #expect(update.status == 0, "\(update.errors)")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
        #expect(update.output.contains("UPDATE x_stream"))
        #expect(update.output.hasSuffix("updated 1 exchanges in 1 files\n"))
        let after = Self.verify([path])
        #expect(after.output == "3 exchanges, 3 matched, 0 differ\n")
        #expect(after.status == 0)
        let rewritten = try CassetteReader.read(path: path)
        #expect(rewritten.header == before.header)
        #expect(rewritten.events.count == before.events.count)
        #expect(rewritten.tornTail == nil)
        #expect(!rewritten.events.contains { $0["data"]?["delta"]?["text"] == "MUTATED" })
    }

    /// Rewrites the cassette at `path` with its lines changed by `edit`.
    static func rewrite(_ path: String, _ edit: ([CassetteEvent]) -> [CassetteEvent]) throws {
        let contents = try CassetteReader.read(path: path)
        try FileManager.default.removeItem(atPath: path)
        try ConvertedExchange.write(edit(contents.events), to: path)
    }

    /// Each line's kind, exchange and time, in file order.
    static func shape(of path: String) throws -> [String] {
        try CassetteReader.read(path: path).events.map {
            "\($0.kind) \($0.exchange ?? "-") \($0.timeMicros ?? -1)"
        }
    }

    /// Today's frames take the recorded frames' places between the upstream
    /// chunks that made them, not one run ahead of the chunks.
    @Test func anUpdateKeepsEveryLineInItsPlace() throws {
        let path = try Self.freshCassette()
        _ = try Self.mutateFirstTextDelta(in: path)
        let before = try Self.shape(of: path)
        #expect(Self.verify([path], update: true).status == 0)
        #expect(try Self.shape(of: path) == before)
        #expect(Self.verify([path]).status == 0)
    }

    /// A recording with fewer frames than today's (its last two lost) or more
    /// (one written twice) is rewritten with today's count, and its lines stay
    /// in time order: the frames past the recorded count follow the last one.
    @Test(arguments: [-2, 1])
    func anUpdateWithAnotherFrameCountKeepsTimeOrder(extraFrames: Int) throws {
        let path = try Self.freshCassette()
        let original = try Self.shape(of: path)
        try Self.rewrite(path) { events in
            let frames = events.indices.filter {
                events[$0].knownKind == .clientEvent && events[$0].exchange == "x_stream"
            }
            var edited = events
            if extraFrames < 0 {
                for index in frames.suffix(-extraFrames).reversed() { edited.remove(at: index) }
            } else {
                edited.insert(events[frames[0]], at: frames[0])
            }
            return edited
        }
        #expect(Self.verify([path]).status == 1)
        #expect(Self.verify([path], update: true).status == 0)
        #expect(Self.verify([path]).output == "3 exchanges, 3 matched, 0 differ\n")
        let events = try CassetteReader.read(path: path).events
        #expect(events.count == original.count)
        let times = events.filter { $0.exchange == "x_stream" }.map { $0.timeMicros ?? -1 }
        #expect(times == times.sorted())
        let kinds = events.filter { $0.exchange == "x_stream" }.map(\.kind)
        #expect(kinds.last == "end")
        #expect(kinds.lastIndex(of: "upstream_chunk")! < kinds.lastIndex(of: "client_event")!)
    }

    /// An edited line of exchange `x_plain` shows up as a difference at a
    /// pointer into the converted upstream request: the recorded request
    /// itself, or a changed mapping (the route's max_tokens cap) that the
    /// converter now applies.
    @Test(arguments: [
        (CassetteEvent.Kind.upstreamRequest, "body", 9999, "upstream_request /max_tokens: expected 9999, actual"),
        (CassetteEvent.Kind.route, "options", 100, "upstream_request /max_tokens: expected 256, actual 100"),
    ])
    func anEditedLineIsReportedAtItsPointer(
        kind: CassetteEvent.Kind, member: String, maxTokens: Int64, expected: String
    ) throws {
        let path = try Self.freshCassette()
        let contents = try CassetteReader.read(path: path)
        let events = contents.events.map { line -> CassetteEvent in
            guard line.knownKind == kind, line.exchange == "x_plain" else { return line }
            var changed = line
            changed[member]?["max_tokens"] = .int(maxTokens)
            return changed
        }
        try FileManager.default.removeItem(atPath: path)
        try ConvertedExchange.write(events, to: path)
        let result = Self.verify([path])
        #expect(result.status == 1)
        #expect(result.output.contains("DIFF x_plain"))
        #expect(result.output.contains(expected))
    }

    @Test func unreadableInputExitsTwo() {
        let result = Self.verify(["/nonexistent/cassette.jsonl"])
        #expect(result.status == 2)
        #expect(result.errors.hasPrefix("log-replay verify: /nonexistent/cassette.jsonl"))
        #expect(result.errors.split(separator: "\n").count == 1)
    }

    @Test func exchangesWithoutARouteAreSkippedNotFailed() throws {
        let report = VerifyReport(set: try RecordedSession.cassetteSet(), verifier: ExchangeVerifier())
        let bad = try #require(report.results.first { $0.exchangeID == RecordedSession.badRequest })
        #expect(bad.skipped != nil)
        #expect(report.summaryLine.contains("2 skipped"))
    }
}
