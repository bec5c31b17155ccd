import Cassette
import Foundation
import Replay
import TestSupport
import Testing

/// The CI conversion regression run: every cassette in `cassettes/` must
/// still verify against today's converters, at every level.
@Suite(.cpuBound) struct CorpusVerifyTests {
    /// Why an exchange may go uncompared: the proxy answered it before
    /// routing (bad JSON, a failed validation, an unknown model, `/health`),
    /// or its endpoint is not converted (`count_tokens`). Anything else (a
    /// route line verify cannot read, say) hides a regression.
    static let acceptedSkips = ["no route line", "is not a converted endpoint", "has no JSON body"]

    /// The corpus's groups (cassettes/README.md).
    static let groups: Set<String> = ["claude-code", "sdk", "providers", "synthetic", "dialects", "errors"]

    @Test(arguments: VerifyLevel.allCases)
    func everyCorpusCassetteVerifies(level: VerifyLevel) async throws {
        let corpus = try Corpus.directory()
        let files = try Corpus.files()
        let present = Set(
            files.map { $0.dropFirst(corpus.count + 1).split(separator: "/").first.map(String.init) ?? "" })
        #expect(present.isSuperset(of: Self.groups), "corpus groups: \(present.sorted())")

        let set = try CassetteLoader.load(paths: [corpus])
        #expect(set.files == files)
        #expect(set.tornTails.isEmpty, "corpus cassettes must be complete: \(set.tornTails)")
        let report = VerifyReport(set: set, verifier: ExchangeVerifier(level: level))
        #expect(report.differingCount == 0, "\(report.text())")
        for file in files {
            let results = report.results.filter { $0.file == file }
            #expect(!results.isEmpty, "\(file) holds no exchange")
        }
        for result in report.results {
            guard let reason = result.skipped else { continue }
            #expect(
                Self.acceptedSkips.contains { reason.contains($0) },
                "\(result.exchangeID) (\(result.file)) was not compared: \(reason)")
        }
        // Each group has exchanges that were really compared.
        for group in Self.groups {
            let compared = report.results.filter { $0.matched && $0.file.hasPrefix("\(corpus)/\(group)/") }
            #expect(!compared.isEmpty, "no exchange of cassettes/\(group) was compared")
        }
    }
}
