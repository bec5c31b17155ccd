import Cassette
import Replay
import Testing
import Wire

/// `verify` catches regressions on the real corpus: a copy of a corpus
/// cassette with one recorded frame, body or route mapping changed must be
/// reported as one difference, at the JSON pointer of the change.
@Suite struct CorpusRegressionTests {
    static func differences(in path: String) throws -> [ExchangeVerification] {
        let report = VerifyReport(set: try CassetteLoader.load(paths: [path]), verifier: ExchangeVerifier())
        return report.results.filter { !$0.differences.isEmpty }
    }

    /// The first `text_delta` frame Claude Code got (openai upstream) reads
    /// differently: as if the stream transcoder had changed that text.
    @Test func aMutatedFrameOfARealClaudeCodeSessionIsReportedAtItsPointer() throws {
        var framesSeen: [String: Int] = [:]
        var mutated: (exchange: String, index: Int, original: JSONValue)?
        let path = try Corpus.copy(of: "claude-code/openai-write.jsonl.lz4") { line in
            guard line.knownKind == .clientEvent, let exchange = line.exchange else { return line }
            let index = framesSeen[exchange, default: 0]
            framesSeen[exchange] = index + 1
            guard mutated == nil, line["data"]?["delta"]?["type"] == "text_delta",
                let original = line["data"]?["delta"]?["text"]
            else { return line }
            mutated = (exchange, index, original)
            var changed = line
            changed["data"]?["delta"]?["text"] = "MUTATED"
            return changed
        }
        let change = try #require(mutated)
        let differing = try Self.differences(in: path)
        #expect(differing.map(\.exchangeID) == [change.exchange])
        #expect(
            differing.first?.differences == [
                VerifyDifference(
                    leg: "client_events", pointer: "/\(change.index)/data/delta/text", expected: "MUTATED",
                    actual: change.original)
            ])
    }

    /// A non-streamed answer's recorded body, changed: reported in the
    /// client response at the text's pointer.
    @Test func aMutatedResponseBodyIsReportedAtItsPointer() throws {
        var original: JSONValue?
        let path = try Corpus.copy(of: "providers/openai-chat/openai-text.body.jsonl.lz4") { line in
            guard line.knownKind == .clientResponse, var content = line["body"]?["content"]?.arrayValue,
                let text = content.first?["text"]
            else { return line }
            original = text
            content[0]["text"] = "MUTATED"
            var changed = line
            changed["body"]?["content"] = .array(content)
            return changed
        }
        let text = try #require(original)
        let differing = try Self.differences(in: path)
        #expect(differing.count == 1)
        #expect(
            differing.first?.differences == [
                VerifyDifference(leg: "client_response", pointer: "/content/0/text", expected: "MUTATED", actual: text)
            ])
    }

    /// One mapping of the route's converter configuration, changed in a copy
    /// of the recorded route options: today's conversion of the real
    /// request then differs from the recorded upstream request exactly there.
    @Test(arguments: [
        // The route's max_tokens cap now applies (the client asked for 4096).
        ("max_tokens", JSONValue.int(100), "/max_tokens", JSONValue.int(4096), JSONValue.int(100)),
        // The route's effort now wins over the one derived from the client's thinking budget.
        ("reasoning_effort", "high", "/reasoning_effort", "low", "high"),
    ])
    func aChangedRouteMappingIsReportedAtItsPointer(
        option: String, value: JSONValue, pointer: String, expected: JSONValue, actual: JSONValue
    ) throws {
        let path = try Corpus.copy(of: "providers/openai-chat/deepseek-reasoning.stream.jsonl.lz4") { line in
            guard line.knownKind == .route else { return line }
            var changed = line
            changed["options"]?[option] = value
            return changed
        }
        let differing = try Self.differences(in: path)
        #expect(differing.count == 1)
        #expect(
            differing.first?.differences == [
                VerifyDifference(leg: "upstream_request", pointer: pointer, expected: expected, actual: actual)
            ])
    }

    /// The unchanged copy verifies clean, so the differences above come from
    /// the changes alone.
    @Test(arguments: [
        "claude-code/openai-write.jsonl.lz4", "providers/openai-chat/openai-text.body.jsonl.lz4",
        "providers/openai-chat/deepseek-reasoning.stream.jsonl.lz4",
    ])
    func anUnchangedCopyVerifiesClean(cassette: String) throws {
        #expect(try Self.differences(in: try Corpus.copy(of: cassette)).isEmpty)
    }
}
