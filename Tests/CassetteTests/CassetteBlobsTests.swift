import Foundation
import TestSupport
import Testing
import Wire

@testable import Cassette

/// Large repeated parts of request bodies are stored once per file, and
/// every reader gets the bodies back exactly as they were recorded.
@Suite(.cpuBound) struct CassetteBlobsTests {
    /// The two request bodies of a real Claude Code session (they share the
    /// tools, the system prompt and the first messages).
    static func sessionBodies() throws -> [JSONValue] {
        let text = try Fixtures.bytes(atPath: try Fixtures.path("claude-code/write-tool-session.requests.jsonl"))
        return try text.split(separator: 0x0A).map { line in
            guard let body = try JSONValue(parsing: Array(line))["body"] else { throw Missing() }
            return body
        }
    }

    struct Missing: Error {}

    static func request(_ id: String, body: [UInt8], kind: CassetteEvent.Kind = .clientRequest) -> CassetteEvent {
        kind == .clientRequest
            ? .clientRequest(
                exchange: id, timeMicros: 1, method: "POST", path: "/v1/messages", query: nil, headers: [:], body: body)
            : .upstreamRequest(
                exchange: id, timeMicros: 2, method: "POST", url: "http://127.0.0.1/v1", headers: [:], body: body)
    }

    /// Writes `events` to a plain cassette and returns its lines and what a reader gets.
    static func roundTrip(_ events: [CassetteEvent]) throws -> (lines: [JSONValue], read: [CassetteEvent]) {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("blobs.jsonl")
        let writer = try CassetteWriter(file: path)
        for event in events { try writer.write(event) }
        try writer.close()
        let text = try Fixtures.bytes(atPath: path)
        let lines = try text.split(separator: 0x0A).map { try JSONValue(parsing: Array($0)) }
        return (lines, try CassetteReader.read(path: path).events)
    }

    @Test func aSessionsRepeatedPartsAreStoredOnceAndReadBackWhole() async throws {
        let bodies = try Self.sessionBodies()
        #expect(bodies.count == 2)
        var events: [CassetteEvent] = []
        for (index, body) in bodies.enumerated() {
            events.append(Self.request("x\(index)", body: body.serialized()))
            events.append(Self.request("x\(index)", body: body.serialized(), kind: .upstreamRequest))
        }
        let (lines, read) = try Self.roundTrip(events)
        #expect(read == events)
        #expect(read.map { $0.bodyBytes } == events.map { $0.bodyBytes })

        let blobIDs = lines.filter { $0["kind"] == "blob" }.compactMap { $0["id"]?.stringValue }
        #expect(!blobIDs.isEmpty)
        #expect(Set(blobIDs).count == blobIDs.count, "each blob is written once")
        // Every line after the first request refers to the first one's blobs
        // for the parts they share: it is a fraction of the body's size.
        let requestLines = lines.filter { $0["kind"] != "blob" && $0["kind"] != "cassette" }
        let sizes = requestLines.map { $0.serialized().count }
        let bodySize = bodies[0].serialized().count
        #expect(sizes[1] < bodySize / 10, "\(sizes) against a body of \(bodySize)")
        #expect(sizes[2] < bodies[1].serialized().count / 2, "\(sizes)")
        #expect(sizes[3] < bodySize / 10, "\(sizes)")
        // Blob lines come before the first line that uses them.
        var defined: Set<String> = []
        for line in lines {
            if line["kind"] == "blob", let id = line["id"]?.stringValue { defined.insert(id) }
            for id in Self.references(in: line["body"]) { #expect(defined.contains(id)) }
        }
    }

    /// A body that holds `{"$ref":...}` of its own (JSON Schema does) comes
    /// back unchanged, wherever it is.
    @Test func aBodysOwnReferencesAreNotMistakenForBlobs() async throws {
        let large = String(repeating: "x", count: 2_000)
        let body: JSONValue = [
            "top": ["$ref": "b1"],
            "list": [["$ref": "b1"], "small", ["$ref": "#/definitions/a"]],
            "tools": [["input_schema": ["$ref": "#/definitions/a"], "description": .string(large)]],
            "again": [["$ref": "b2"]],
        ]
        let events = [Self.request("x1", body: body.serialized()), Self.request("x2", body: body.serialized())]
        let (lines, read) = try Self.roundTrip(events)
        #expect(read == events)
        #expect(read.map { $0.bodyBytes } == events.map { $0.bodyBytes })
        #expect(lines.contains { $0["kind"] == "blob" })
    }

    /// A body that is not in serialized form (spaces, a client's own
    /// escapes) is stored as a JSON value, and shares its parts the same way.
    @Test func aBodyNotInSerializedFormSharesItsPartsToo() async throws {
        let bodies = try Self.sessionBodies()
        let spaced = Array("{ ".utf8) + bodies[0].serialized().dropFirst() + Array("\n".utf8)
        #expect(!JSONValue.isSerializedForm(spaced))
        let events = [Self.request("x1", body: spaced), Self.request("x2", body: spaced)]
        let (lines, read) = try Self.roundTrip(events)
        #expect(read == events)
        #expect(lines.filter { $0["kind"] == "blob" }.count > 0)
        #expect(lines.last!.serialized().count < spaced.count / 10)
    }

    /// Each file defines its own blobs: a rotated file reads on its own.
    @Test func aRotatedFileDefinesItsOwnBlobs() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let body = try Self.sessionBodies()[0].serialized()
        let writer = try CassetteWriter(directory: directory.path, maxFileBytes: 1)
        for index in 0..<3 { try writer.write(Self.request("x\(index)", body: body)) }
        try writer.close()
        #expect(writer.files.count == 3)
        for (index, file) in writer.files.enumerated() {
            let events = try CassetteReader.read(path: file).events
            #expect(events.count == 1)
            #expect(events.first?.bodyBytes == body, "file \(index)")
        }
    }

    /// Blobs past the reader's memory budget go to its spill file and come
    /// back from it: every body reads back whole, including ones that
    /// refer to an early (in memory) and a late (spilled) blob at once.
    @Test func blobsPastTheReadersMemoryBudgetReadBackWhole() async throws {
        let part = 2_048
        let count = CassetteBlobStore.memoryBudget / part + 200
        let shared = String(repeating: "s", count: part)
        var events: [CassetteEvent] = []
        for index in 0..<count {
            let unique = String(repeating: String(index % 10), count: part - 8) + String(format: "%08d", index)
            let body: JSONValue = ["shared": .string(shared), "messages": [.string(unique)]]
            events.append(Self.request("x\(index)", body: body.serialized()))
            if index % 500 == 499 {
                // A later request that also repeats the first exchange's part.
                let first = String(repeating: "0", count: part - 8) + String(format: "%08d", 0)
                let again: JSONValue = ["shared": .string(shared), "messages": [.string(first), .string(unique)]]
                events.append(Self.request("y\(index)", body: again.serialized()))
            }
        }
        let (lines, read) = try Self.roundTrip(events)
        #expect(lines.filter { $0["kind"] == "blob" }.count == count + 1)
        #expect(read == events)
    }

    @Test func smallBodiesAndOtherLinesAreLeftAlone() async throws {
        let small: JSONValue = ["model": "m", "messages": [["role": "user", "content": "hi"]]]
        let response = CassetteEvent.clientResponse(
            exchange: "x1", timeMicros: 3, status: 200, headers: [:],
            body: (try Self.sessionBodies()[0]).serialized())
        let events = [Self.request("x1", body: small.serialized()), response, response]
        let (lines, read) = try Self.roundTrip(events)
        #expect(read == events)
        #expect(!lines.contains { $0["kind"] == "blob" })
    }

    private static func references(in body: JSONValue?) -> [String] {
        guard case .object(let object)? = body else { return [] }
        var ids: [String] = []
        for member in object.members {
            let candidates: [JSONValue] =
                if case .array(let elements) = member.value { elements } else { [member.value] }
            for candidate in candidates {
                if case .object(let reference) = candidate, reference.count == 1,
                    let id = reference["$ref"]?.stringValue, id.hasPrefix("b")
                {
                    ids.append(id)
                }
            }
        }
        return ids
    }

    /// A part this file stored is found where a later body's part starts,
    /// at its depth or a shallower one, and nothing else is.
    @Test func aStoredPartIsFoundWhereALaterPartStarts() {
        let prompt = #""\#(String(repeating: "a system prompt, ", count: 80))""#
        let message = #"{"role":"user","content":"\#(String(repeating: "hello ", count: 200))"}"#
        var blobs = CassetteBlobs()
        var blobLines: [UInt8] = []
        let first = Array(#"{"system":\#(prompt),"messages":[\#(message)]}"#.utf8)
        #expect(blobs.rewrite(body: first, blobLines: &blobLines) != nil)
        func length(_ text: String, depth: Int) -> Int? {
            Array(text.utf8).withUnsafeBufferPointer { blobs.storedPartLength(at: $0, depth: depth) }
        }
        #expect(length(prompt + #","messages":[]}"#, depth: 1) == prompt.utf8.count)
        #expect(length(prompt + #","messages":[]}"#, depth: 2) == nil)
        #expect(length(message + "]}", depth: 2) == message.utf8.count)
        #expect(length(message + "]}", depth: 1) == message.utf8.count)
        #expect(length(String(prompt.dropLast(2)) + #"!","messages":[]}"#, depth: 1) == nil)
        // Two parts with the same first 64 bytes and more: told apart.
        let longer = String(message.dropLast(2)) + #"and more"}"#
        #expect(length(longer + "]}", depth: 2) == nil)
        #expect(
            blobs.rewrite(body: Array(#"{"messages":[\#(message),\#(longer)]}"#.utf8), blobLines: &blobLines) != nil)
        #expect(length(longer + "]}", depth: 2) == longer.utf8.count)
        #expect(length(message + "]}", depth: 2) == message.utf8.count)
        blobs.reset()
        #expect(length(message + "]}", depth: 2) == nil)
    }
}
