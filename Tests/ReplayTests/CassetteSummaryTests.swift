import Cassette
import Replay
import Testing
import Wire

@Suite struct CassetteSummaryTests {
    @Test func sessionNumbers() throws {
        let set = try RecordedSession.cassetteSet()
        let summary = CassetteSummary(exchanges: set.exchanges, set: set)
        #expect(summary.fileCount == 1)
        #expect(summary.exchangeCount == 7)
        #expect(summary.unfinishedCount == 0)
        // Durations sorted: 200, 300, 1500, 30000, 50000, 90200, 180500.
        #expect(summary.duration == .init(count: 7, p50: 30_000, p95: 180_500))
        // TTFB sorted: 60, 250, 1400, 29300, 40050, 49000, 150050.
        #expect(summary.timeToFirstByte == .init(count: 7, p50: 29_300, p95: 150_050))
        #expect(
            summary.tokenTotals == [
                .init(label: "input_tokens", count: 40), .init(label: "output_tokens", count: 8),
                .init(label: "cache_read_input_tokens", count: 7),
            ])
        #expect(summary.droppedEvents == 2)
        #expect(
            summary.byEndpoint == [
                .init(label: "POST /v1/messages", count: 6), .init(label: "GET /v1/models", count: 1),
            ])
        #expect(summary.byStatus.first == .init(label: "200", count: 4))
        #expect(summary.byModel.first == .init(label: "claude-sonnet-4-5", count: 3))
        #expect(
            summary.errorsByStageAndType == [
                .init(label: "client_request / invalid_request_error", count: 1),
                .init(label: "upstream_connect / api_error", count: 1),
                .init(label: "upstream_response / rate_limit_error", count: 1),
                .init(label: "upstream_stream / api_error", count: 1),
            ])
        #expect(summary.byUpstream.first == .init(label: "https://api.deepseek.com/v1", count: 3))
    }

    /// Gemini names the model in the path: the endpoint table has one row
    /// per path template and method, not one per model.
    @Test func geminiPathsAreCountedByTemplate() {
        let paths = [
            "/v1beta/models/gemini-2.5-flash:generateContent", "/v1beta/models/gemini-2.5-pro:generateContent",
            "/v1beta/models/gemini-2.5-flash:streamGenerateContent", "/v1/models/an-e400:generateContent",
            "/gemini/v1beta/models/gemini-2.5-flash:countTokens", "/v1beta/models/gemini-2.5-pro:countTokens",
            "/v1/messages",
        ]
        let exchanges = paths.enumerated().map { index, path in
            Exchange(
                id: "x\(index)", file: "f",
                events: [
                    .init(
                        .clientRequest, exchange: "x\(index)", timeMicros: 0,
                        fields: ["method": "POST", "path": .string(path)])
                ])
        }
        let summary = CassetteSummary(exchanges: exchanges, set: CassetteSet(exchanges: exchanges))
        #expect(
            summary.byEndpoint == [
                .init(label: "POST /v1beta/models/{model}:generateContent", count: 2),
                .init(label: "POST /gemini/v1beta/models/{model}:countTokens", count: 1),
                .init(label: "POST /v1/messages", count: 1),
                .init(label: "POST /v1/models/{model}:generateContent", count: 1),
                .init(label: "POST /v1beta/models/{model}:countTokens", count: 1),
                .init(label: "POST /v1beta/models/{model}:streamGenerateContent", count: 1),
            ])
    }

    @Test func countsAtIntsLimitAreHeldThere() {
        // Two end lines with counts at Int's limit trapped the summary.
        let exchanges = ["x1", "x2"].map { id in
            Exchange(
                id: id, file: "f",
                events: [
                    .init(
                        .end, exchange: id, timeMicros: 1,
                        fields: ["usage": ["input_tokens": .int(.max)], "dropped_events": .int(.max)])
                ])
        }
        let summary = CassetteSummary(exchanges: exchanges, set: CassetteSet(exchanges: exchanges))
        #expect(summary.tokenTotals == [.init(label: "input_tokens", count: .max)])
        #expect(summary.droppedEvents == .max)
    }

    @Test func percentilesAreNearestRank() {
        let hundred = (1...100).map { Int64($0) }
        let summary = CassetteSummaryProbe.percentiles(hundred)
        #expect(summary?.p50 == 50)
        #expect(summary?.p95 == 95)
        #expect(CassetteSummaryProbe.percentiles([7])?.p95 == 7)
        #expect(CassetteSummaryProbe.percentiles([]) == nil)
    }

    @Test func textShowsEveryPart() throws {
        var set = try RecordedSession.cassetteSet()
        set.tornTails.append(.init(file: "crash.jsonl.lz4", description: "incomplete LZ4 block at byte 4096"))
        let text = CassetteSummary(exchanges: set.exchanges, set: set).text
        #expect(text.hasPrefix("7 exchanges in 1 cassette file\n"))
        #expect(text.contains("POST /v1/messages  6"))
        #expect(text.contains("upstream_connect / api_error"))
        #expect(text.contains("Duration:           p50 30 ms, p95 180 ms (n=7)"))
        #expect(text.contains("Tokens:             input_tokens 40, output_tokens 8, cache_read_input_tokens 7"))
        #expect(text.contains("Dropped events:     2"))
        #expect(text.contains("Torn tails:         1\n  crash.jsonl.lz4: incomplete LZ4 block at byte 4096"))
    }
}

/// Reaches the percentile rule through a summary of synthetic durations.
enum CassetteSummaryProbe {
    static func percentiles(_ durations: [Int64]) -> CassetteSummary.Percentiles? {
        let exchanges = durations.enumerated().map { index, micros in
            Exchange(
                id: "x\(index)", file: "f",
                events: [.init(.end, exchange: "x\(index)", timeMicros: micros, fields: ["duration_us": .int(micros)])])
        }
        return CassetteSummary(exchanges: exchanges, set: CassetteSet(exchanges: exchanges)).duration
    }
}

/// What a cassette holds is a client's or an upstream's text: the summary
/// writes its control characters escaped, so it cannot drive the terminal
/// nor forge a line.
@Suite struct CassetteSummaryEscapingTests {
    @Test func labelsAndFailuresAreWrittenWithTheirControlCharactersEscaped() {
        var summary = CassetteSummary(
            fileCount: 1, exchangeCount: 1, unfinishedCount: 0,
            byEndpoint: [.init(label: "POST /v1beta/models/evil\n:generateContent", count: 1)],
            byModel: [.init(label: "evil\nFORGED \u{1B}[31mRED", count: 1)], byUpstream: [], byStatus: [],
            errorsByStageAndType: [], duration: nil, timeToFirstByte: nil, tokenTotals: [], tornTails: [],
            droppedEvents: 0)
        summary.failures = [.init(id: "req_1", status: 404, message: "model `\u{1B}]0;pwned\u{07}` is unknown")]
        let text = summary.text
        #expect(text.contains("\n  evil\\nFORGED \\u001b[31mRED  1\n"), "\(text)")
        #expect(text.contains("\n  POST /v1beta/models/evil\\n:generateContent  1\n"), "\(text)")
        #expect(text.contains("\n  req_1  404  model `\\u001b]0;pwned\\u0007` is unknown\n"), "\(text)")
        #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(text)")
        #expect(!text.contains("\nFORGED"), "\(text)")
    }

    /// Labels are padded by characters: an emoji (two UTF-16 units) was cut
    /// in half when padding counted UTF-16, and shorter labels misaligned.
    @Test func labelsWithEmojiKeepThemAndTheColumnsAlign() {
        let summary = CassetteSummary(
            fileCount: 1, exchangeCount: 2, unfinishedCount: 0, byEndpoint: [],
            byModel: [.init(label: "modèle-中文-🎉", count: 1), .init(label: "a-much-longer-model-name", count: 1)],
            byUpstream: [], byStatus: [], errorsByStageAndType: [], duration: nil, timeToFirstByte: nil,
            tokenTotals: [], tornTails: [], droppedEvents: 0)
        let text = summary.text
        #expect(text.contains("\n  modèle-中文-🎉" + String(repeating: " ", count: 15) + "1\n"), "\(text)")
        #expect(text.contains("\n  a-much-longer-model-name  1\n"), "\(text)")
    }
}
