import Cassette
import Foundation
import Replay
import Testing

/// The CI conversion regression run: every cassette in `cassettes/` must
/// still verify against today's converters.
@Suite struct CorpusVerifyTests {
    /// `cassettes/` at the repository root, found from this file.
    static var corpus: String? {
        var url = URL(filePath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appending(path: "Package.swift").path) {
                let corpus = url.appending(path: "cassettes").path
                let files = (try? CassetteReader.cassetteFiles(in: [corpus])) ?? []
                return files.isEmpty ? nil : corpus
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    @Test(.enabled(if: corpus != nil, "no cassettes/ corpus in this checkout"))
    func everyCorpusCassetteVerifies() throws {
        let set = try CassetteLoader.load(paths: [try #require(Self.corpus)])
        let report = VerifyReport(set: set, verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text())")
        #expect(set.tornTails.isEmpty, "corpus cassettes must be complete: \(set.tornTails)")
    }
}
