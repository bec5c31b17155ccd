import Cassette
import Foundation
import Replay
import Testing
import Wire

/// `log-replay` answers a mistaken question by saying so: the summary's own
/// endpoint form is a filter that matches, an unknown request id and an
/// empty file are errors, not empty reports.
@Suite struct InspectMistakesTests {
    static func inspect(
        _ paths: [String], filter: ExchangeFilter, format: InspectFormat = .summary
    ) -> (
        status: Int32, output: String, errors: String
    ) {
        var output = ""
        var errors = ""
        let status = LogReplayCommands.inspect(
            paths: paths, filter: filter, format: format, baseURL: nil, output: &output, errors: &errors)
        return (status, output, errors)
    }

    static func geminiExchange(_ id: String, path: String) -> Exchange {
        Exchange(
            id: id, file: "gemini.jsonl",
            events: [
                CassetteEvent(
                    .clientRequest, exchange: id, timeMicros: 0, fields: ["method": "POST", "path": .string(path)])
            ])
    }

    @Test func theSummarysGeminiEndpointFormMatchesEveryModel() {
        let flash = Self.geminiExchange("a", path: "/v1beta/models/gemini-2.5-flash:generateContent")
        let pro = Self.geminiExchange("b", path: "/v1beta/models/gemini-2.5-pro:generateContent?alt=sse")
        let streamed = Self.geminiExchange("c", path: "/v1beta/models/gemini-2.5-pro:streamGenerateContent")
        let filter = ExchangeFilter(endpoint: "/v1beta/models/{model}:generateContent")
        #expect([flash, pro, streamed].filter(filter.matches).map(\.id) == ["a", "b"])
        // A literal path still matches only itself.
        let literal = ExchangeFilter(endpoint: "/v1beta/models/gemini-2.5-flash:generateContent")
        #expect([flash, pro, streamed].filter(literal.matches).map(\.id) == ["a"])
        #expect(!ExchangeFilter(endpoint: "/v1/messages/{model}").matches(flash))
    }

    @Test(arguments: InspectFormat.allCases.filter { $0 != .cassette } + [.cassette])
    func anUnknownRequestIDIsAnError(format: InspectFormat) throws {
        let path = try VerifyTests.freshCassette()
        let result = Self.inspect([path], filter: ExchangeFilter(requestID: "x_nope"), format: format)
        #expect(result.status == 1)
        #expect(result.errors == "log-replay: no exchange has request id x_nope in \(path)\n")
        if format == .summary { #expect(result.output.isEmpty, "\(result.output)") }

        let known = Self.inspect([path], filter: ExchangeFilter(requestID: "x_plain"), format: format)
        #expect(known.status == 0)
        #expect(known.errors.isEmpty)
        // Known but left out by another filter: no error, an empty answer.
        let excluded = Self.inspect([path], filter: ExchangeFilter(requestID: "x_plain", status: "5xx"), format: format)
        #expect(excluded.status == 0)
        #expect(excluded.errors.isEmpty)
    }

    /// With `-o cassette --write FILE`, the file it would have made (a
    /// header and no exchange) is not left behind.
    @Test func anUnknownRequestIDWritesNoCassetteFile() throws {
        let path = try VerifyTests.freshCassette()
        let file = try ConvertedExchange.temporaryDirectory() + "/one.jsonl"
        var output = ""
        var errors = ""
        let status = LogReplayCommands.inspect(
            paths: [path], filter: ExchangeFilter(requestID: "x_nope"), format: .cassette, baseURL: nil,
            cassetteFile: file, output: &output, errors: &errors)
        #expect(status == 1)
        #expect(errors == "log-replay: no exchange has request id x_nope in \(path)\n")
        #expect(!FileManager.default.fileExists(atPath: file))

        let known = LogReplayCommands.inspect(
            paths: [path], filter: ExchangeFilter(requestID: "x_plain"), format: .cassette, baseURL: nil,
            cassetteFile: file, output: &output, errors: &errors)
        #expect(known == 0)
        #expect(Set(try CassetteReader.read(path: file).events.compactMap(\.exchange)) == ["x_plain"])
    }

    @Test func anEmptyFileIsNotACassette() throws {
        let directory = try ConvertedExchange.temporaryDirectory()
        let empty = directory + "/empty.jsonl"
        try Data().write(to: URL(filePath: empty))
        let summary = Self.inspect([empty], filter: ExchangeFilter())
        #expect(summary.status == 1)
        #expect(summary.errors == "log-replay: \(empty): not a cassette (the file is empty)\n")
        #expect(summary.output.isEmpty)
        let verify = VerifyTests.verify([empty])
        #expect(verify.status == 2)
        #expect(verify.errors == "log-replay verify: \(empty): not a cassette (the file is empty)\n")

        // Beside a whole cassette it is a torn tail, as a file cut to nothing is.
        let whole = try VerifyTests.freshCassette()
        let both = Self.inspect([whole, empty], filter: ExchangeFilter())
        #expect(both.status == 0)
        #expect(both.output.contains("\(empty): the file is empty"), "\(both.output)")
    }
}
