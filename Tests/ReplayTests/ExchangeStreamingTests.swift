import Cassette
import Foundation
import TestSupport
import Testing
import Wire

@testable import Replay

/// Exchanges handed on as they complete are the whole-file grouping's, and
/// the streamed `log-replay` reports are the whole-file ones.
@Suite(.cpuBound) struct ExchangeStreamingTests {
    static func line(_ kind: CassetteEvent.Kind, _ id: String, _ time: Int64 = 1) -> CassetteEvent {
        CassetteEvent(kind, exchange: id, timeMicros: time)
    }

    static func assemble(_ events: [CassetteEvent], release: ExchangeAssembler.Release) -> [[String]] {
        var assembler = ExchangeAssembler(file: "f", cassetteStarted: nil, release: release)
        var handedOn: [[String]] = []
        var batch: [String] = []
        for event in events {
            assembler.add(event) { batch.append($0.id) }
            handedOn.append(batch)
            batch = []
        }
        assembler.finish { batch.append($0.id) }
        handedOn.append(batch)
        return handedOn
    }

    @Test func aFinishedExchangeIsHandedOnAtItsEndInTheOrderExchangesBegan() async {
        let events = [
            Self.line(.clientRequest, "a"), Self.line(.clientRequest, "b"), Self.line(.end, "b"),
            Self.line(.upstreamChunk, "a"), Self.line(.end, "a"), Self.line(.clientRequest, "c"),
            Self.line(.end, "c"),
        ]
        let handedOn = Self.assemble(events, release: .streaming)
        // b ends first but waits for a, which began before it.
        #expect(handedOn == [[], [], [], [], ["a", "b"], [], ["c"], []])
        #expect(handedOn.flatMap { $0 } == Exchange.group(events, file: "f").map(\.id))
    }

    @Test func anExchangeThatNeverEndsHoldsBackOnlyUpToTheLimit() async {
        var events = [Self.line(.clientRequest, "open")]
        for index in 0..<5 { events += [Self.line(.clientRequest, "x\(index)"), Self.line(.end, "x\(index)")] }
        let handedOn = Self.assemble(events, release: .whenComplete(maximumHeld: 5))
        // Three finished exchanges (six lines) pass the limit of five lines.
        #expect(handedOn[6] == ["x0", "x1", "x2"])
        #expect(handedOn.last == ["open", "x3", "x4"])
        #expect(handedOn.flatMap { $0 }.count == 6)
    }

    @Test func theWholeFileGroupingHandsOnNothingBeforeTheEnd() async {
        let events = [Self.line(.clientRequest, "a"), Self.line(.end, "a"), Self.line(.diagnostic, "a")]
        let handedOn = Self.assemble(events, release: .atEnd)
        #expect(handedOn.dropLast().allSatisfy { $0.isEmpty })
        let group = Exchange.group(events, file: "f")
        #expect(group.count == 1 && group[0].events.count == 3, "a line after `end` still joins its exchange")
    }

    @Test func theStreamedExchangesOfTheCorpusAreTheWholeSets() async throws {
        let corpus = try Corpus.directory()
        let set = try CassetteLoader.load(paths: [corpus])
        var streamed: [Exchange] = []
        let files = try CassetteLoader.stream(paths: [corpus]) { streamed.append($0) }
        #expect(files.files == set.files)
        #expect(files.tornTails == set.tornTails)
        #expect(streamed.count == set.exchanges.count && streamed.count > 100)
        #expect(streamed == set.exchanges)
    }

    @Test func theStreamedSummaryIsTheWholeSetsWithAndWithoutAFilter() async throws {
        let corpus = try Corpus.directory()
        let set = try CassetteLoader.load(paths: [corpus])
        for filter in [ExchangeFilter(), ExchangeFilter(errorsOnly: true)] {
            var output = ""
            try InspectReport.write(paths: [corpus], filter: filter, format: .summary, to: &output)
            let expected = CassetteSummary(
                exchanges: set.exchanges.filter(filter.matches), set: set, listingFailures: filter.errorsOnly)
            #expect(output == expected.text)
        }
    }

    @Test(arguments: [InspectFormat.json, .jsonl, .curl, .har])
    func theStreamedExportsAreTheWholeSets(format: InspectFormat) async throws {
        let corpus = try Corpus.directory()
        let exchanges = try CassetteLoader.load(paths: [corpus]).exchanges
        var output = ""
        try InspectReport.write(paths: [corpus], filter: ExchangeFilter(), format: format, to: &output)
        var expected = ""
        switch format {
        case .json: ExchangeExport.json(exchanges, to: &expected)
        case .jsonl: ExchangeExport.jsonl(exchanges, to: &expected)
        case .curl: CurlExport.write(exchanges, baseURL: nil, to: &expected)
        default: expected = HARExport.document(exchanges, baseURL: nil).serializedString() + "\n"
        }
        #expect(output == expected)
        #expect(output.count > 10_000)
    }

    @Test func theStreamedVerificationIsTheWholeSets() async throws {
        let corpus = try Corpus.directory()
        let whole = VerifyReport(set: try CassetteLoader.load(paths: [corpus]), verifier: ExchangeVerifier())
        for json in [false, true] {
            var output = ""
            var errors = ""
            let status = LogReplayCommands.verify(
                paths: [corpus], verifier: ExchangeVerifier(), update: false, json: json, verbose: true,
                output: &output, errors: &errors)
            #expect(status == whole.exitCode && errors.isEmpty)
            #expect(output == (json ? whole.json.serializedString() + "\n" : whole.text(verbose: true)))
        }
        #expect(whole.exchangeCount > 100 && whole.matchedCount > 50)
    }
}
