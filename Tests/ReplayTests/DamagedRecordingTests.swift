import Cassette
import Foundation
import Replay
import Testing
import Wire

/// Damage in a recording stays visible: `verify` lists torn tails and
/// exchanges with no `end` line and never passes them (exit 3),
/// `verify --update` never rewrites a file with a torn tail, and
/// `stub-upstream` warns about both.
@Suite struct DamagedRecordingTests {
    /// What `kill -9` leaves in a plain cassette: half a line.
    static let cutLine = Array(#"{"kind":"upstream_chunk","x":"x_next","t_us":5,"te"#.utf8)

    /// A plain cassette of a stream and a plain exchange, with `edit`
    /// applied to its lines and `tail` appended.
    static func cassette(
        edit: (inout [CassetteEvent]) throws -> Void = { _ in }, tail: [UInt8] = []
    ) throws -> String {
        let path = try ConvertedExchange.temporaryDirectory() + "/session.jsonl"
        var lines = try ConvertedExchange.streaming(id: "x_stream") + ConvertedExchange.plain(id: "x_plain")
        try edit(&lines)
        try ConvertedExchange.write(lines, to: path)
        if !tail.isEmpty {
            let handle = try #require(FileHandle(forWritingAtPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: tail)
            try handle.close()
        }
        return path
    }

    static func tornTail(_ path: String) throws -> String {
        try #require(try CassetteReader.read(path: path).tornTail)
    }

    @Test func verifyListsATornTailAndExits3() throws {
        let path = try Self.cassette(tail: Self.cutLine)
        let result = VerifyTests.verify([path])
        #expect(
            result.output
                == "TORN \(path): \(try Self.tornTail(path))\n2 exchanges, 2 matched, 0 differ, 1 torn tail\n")
        #expect(result.status == 3)

        let json = VerifyTests.verify([path], json: true)
        let report = try JSONValue(parsing: Array(json.output.utf8))
        #expect(report["torn_tails"] == [["file": .string(path), "description": .string(try Self.tornTail(path))]])
        #expect(json.status == 3)
    }

    @Test func anExchangeWithNoEndLineIsIncompleteNotMatched() throws {
        let path = try Self.cassette(edit: { lines in
            lines.removeAll { $0.knownKind == .end && $0.exchange == "x_plain" }
        })
        let result = VerifyTests.verify([path])
        #expect(
            result.output
                == "INCOMPLETE x_plain (\(path)): no end line: the recording stops inside this exchange; it matched "
                + "as far as it goes\n2 exchanges, 1 matched, 0 differ, 1 incomplete (no end line)\n")
        #expect(result.status == 3)
        let json = try JSONValue(parsing: Array(VerifyTests.verify([path], json: true).output.utf8))
        let plain = try #require(json["results"]?.arrayValue?.first { $0["x"] == "x_plain" })
        #expect(plain["status"] == "incomplete")
        #expect(json["incomplete"] == 1)
        #expect(json["matched"] == 1)
    }

    /// The second half of an exchange split by a rotation (as the writer
    /// once did) is skipped for what it is, not as "answered before
    /// routing".
    @Test func anExchangeWithoutItsFirstLinesIsSkippedSayingSo() throws {
        let path = try Self.cassette(edit: { lines in
            lines.removeAll { $0.exchange == "x_plain" && [.clientRequest, .route].contains($0.knownKind) }
        })
        let json = try JSONValue(parsing: Array(VerifyTests.verify([path], json: true).output.utf8))
        let plain = try #require(json["results"]?.arrayValue?.first { $0["x"] == "x_plain" })
        #expect(plain["status"] == "skipped")
        #expect(
            plain["reason"]?.stringValue
                == "no client_request line: the exchange began in another file (a recording rotated before "
                + "rotation kept exchanges whole) or its first lines were dropped")
    }

    /// A difference still decides the exit status: 1.
    @Test func aDifferenceInADamagedRecordingExits1() throws {
        let path = try Self.cassette(edit: Self.addUpstreamField, tail: Self.cutLine)
        let result = VerifyTests.verify([path])
        #expect(result.status == 1)
        #expect(result.output.hasSuffix("2 exchanges, 1 matched, 1 differ, 1 torn tail\n"), "\(result.output)")
    }

    static func addUpstreamField(_ lines: inout [CassetteEvent]) throws {
        let index = try #require(
            lines.firstIndex { $0.knownKind == .upstreamRequest && $0.exchange == "x_plain" })
        lines[index]["body"]?["recorded_only"] = true
    }

    @Test func updateRefusesToRewriteAFileWithATornTail() throws {
        let path = try Self.cassette(edit: Self.addUpstreamField, tail: Self.cutLine)
        let before = try Data(contentsOf: URL(filePath: path))
        let result = VerifyTests.verify([path], update: true)
        #expect(result.status == 2)
        #expect(
            result.errors
                == "log-replay verify --update: \(path) has a torn tail (\(try Self.tornTail(path))), which a rewrite "
                + "would drop; nothing was updated. Copy its exchanges to a new file first (log-replay FILE -o "
                + "cassette --write NEW.jsonl.lz4) and update that.\n")
        #expect(try Data(contentsOf: URL(filePath: path)) == before)
        #expect(result.output.hasPrefix("DIFF x_plain (\(path))"), "\(result.output)")

        // The same file whole is updated.
        let whole = try Self.cassette(edit: Self.addUpstreamField)
        let updated = VerifyTests.verify([whole], update: true)
        #expect(updated.status == 0, "\(updated.errors)")
        #expect(VerifyTests.verify([whole]).output == "2 exchanges, 2 matched, 0 differ\n")
    }

    @Test func theStubWarnsAboutTornTailsAndExchangesWithNoEndLine() throws {
        let torn = try Self.cassette(tail: Self.cutLine)
        #expect(
            try StubUpstream(cassettes: [torn]).warnings == [
                "\(torn) is cut short (\(try Self.tornTail(torn))): read up to its last whole block"
            ])
        let endless = try Self.cassette(edit: { lines in lines.removeAll { $0.knownKind == .end } })
        #expect(
            try StubUpstream(cassettes: [endless]).warnings == [
                "2 exchanges have no end line, so their recorded answers may stop short: x_stream (\(endless)), "
                    + "x_plain (\(endless))"
            ])
        #expect(try StubUpstream(cassettes: [try Self.cassette()]).warnings == [])
    }
}
