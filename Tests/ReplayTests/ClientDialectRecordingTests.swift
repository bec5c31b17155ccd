import AsyncHTTPClient
import Cassette
import Foundation
import Logging
import NIOCore
import Proxy
import Replay
import TestSupport
import Testing
import Wire

/// Exchanges of every client dialect, recorded through the real proxy, are
/// verified (not skipped) by `log-replay verify`, and a Gemini client's
/// `?key=` never reaches the cassette.
@Suite struct ClientDialectRecordingTests {
    static let secret = "AIzaSy-client-secret-in-the-query"

    /// One request of a client dialect and what the stub answers it with.
    struct Case: Sendable {
        var path: String
        var body: JSONValue
        var reply: StubHTTPServer.Reply
    }

    static func cases() throws -> [Case] {
        let openAIStream = try Fixtures.sseBytes(
            chunksFile: try Fixtures.path("providers/openai-chat/deepseek-tool-call.chunks.txt"))
        let geminiStream = try Fixtures.sseBytes(
            chunksFile: try Fixtures.path("providers/gemini/google-tool-call.chunks.txt"))
        let geminiBody = String(
            decoding: try Fixtures.bytes(atPath: try Fixtures.path("providers/gemini/google-tool-call.json")),
            as: UTF8.self)
        let responsesBody = String(
            decoding: try Fixtures.bytes(
                atPath: try Fixtures.path("providers/openai-responses/parallel-tool-call-wrapper.1.json")),
            as: UTF8.self)
        let chat: JSONValue = ["role": "user", "content": "Weather in Paris?"]
        let geminiRequest: JSONValue = ["contents": [["role": "user", "parts": [["text": "Weather in Paris?"]]]]]
        return [
            Case(
                path: "/v1/chat/completions", body: ["model": "gpt", "stream": true, "messages": [chat]],
                reply: .eventStream(splitting: openAIStream, maxPiece: 23)),
            Case(
                path: "/v1beta/models/gemini:generateContent?key=\(secret)", body: geminiRequest,
                reply: .json(200, geminiBody)),
            Case(
                path: "/gemini/v1beta/models/gemini:streamGenerateContent?key=\(secret)", body: geminiRequest,
                reply: .eventStream(splitting: geminiStream, maxPiece: 19)),
            Case(
                path: "/openai/v1/responses", body: ["model": "responses", "input": "Weather in Paris?"],
                reply: .json(200, responsesBody)),
            // Converted through the pivot, both ways.
            Case(
                path: "/v1/chat/completions",
                body: [
                    "model": "gemini", "stream": true, "stream_options": ["include_usage": true], "messages": [chat],
                ],
                reply: .eventStream(splitting: geminiStream, maxPiece: 11)),
            Case(
                path: "/v1beta/models/gpt:streamGenerateContent?alt=sse&key=\(secret)", body: geminiRequest,
                reply: .eventStream(splitting: openAIStream, maxPiece: 29)),
            Case(
                path: "/v1/responses", body: ["model": "gpt", "stream": true, "input": "Weather in Paris?"],
                reply: .eventStream(splitting: openAIStream, maxPiece: 17)),
            Case(
                path: "/v1/models/responses:generateContent", body: geminiRequest, reply: .json(200, responsesBody)),
            Case(
                path: "/v1/chat/completions", body: ["model": "responses", "messages": [chat]],
                reply: .json(200, responsesBody)),
            Case(
                path: "/v1/messages",
                body: ["model": "gemini", "max_tokens": 100, "messages": [chat]],
                reply: .json(200, geminiBody)),
        ]
    }

    /// `extraYAML` goes after the entries, at the top level (e.g. `rules:`).
    static func record(
        _ cases: [Case], into directory: String, extraYAML: String = ""
    ) async throws -> [StubHTTPServer.ReceivedRequest] {
        try await StubHTTPServer.withRunning { stub in
            let yaml = """
                models:
                  - model_id: gpt
                    model_name: up
                    api_base: \(stub.baseURL)/v1
                    format: openai
                  - model_id: gemini
                    model_name: gemini-2.5-flash
                    api_base: \(stub.baseURL)/v1beta
                    format: gemini
                  - model_id: responses
                    model_name: gpt-5-mini
                    api_base: \(stub.baseURL)/v1
                    format: openai-responses
                """ + extraYAML
            let answers = try await RecordingProxy.send(
                cases.map { ($0.path, $0.body) }, yaml: yaml, file: "dialects.yaml", recordingTo: directory,
                before: { stub.reply = cases[$0].reply })
            for (testCase, answer) in zip(cases, answers) {
                #expect(answer.status == 200, "\(testCase.path): \(answer.text)")
            }
            return stub.requests
        }
    }

    @Test func everyDialectIsRecordedAndVerifiedWithoutTheQueryKey() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-dialects-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cases = try Self.cases()
        _ = try await Self.record(cases, into: directory)

        let set = try CassetteLoader.load(paths: [directory])
        let report = VerifyReport(set: set, verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")
        #expect(report.matchedCount == cases.count, "\(report.text(verbose: true))")
        #expect(report.skippedCount == 0, "\(report.text(verbose: true))")

        var text = ""
        var ends: [CassetteEvent] = []
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                text += JSONValue.object(event.fields).serializedString() + "\n"
                if event.kind == "end" { ends.append(event) }
            }
        }
        // Passed through or converted, streamed or not: the end line has
        // the answer's usage in Anthropic's shape.
        #expect(ends.count == cases.count)
        for end in ends {
            #expect(end["usage"]?["output_tokens"]?.intValue ?? 0 > 0, "\(JSONValue.object(end.fields))")
        }
        #expect(text.contains("/v1beta/models/gemini:generateContent"))
        #expect(!text.contains(Self.secret))
    }

    /// A Gemini client's key, passed on, quoted back in an error inside the
    /// upstream's 200 stream: relayed as it came or carried over into
    /// Gemini's shape, it is recorded on both sides as its fingerprint, so
    /// the cassette holds no key and still verifies.
    @Test func aKeyQuotedInAStreamsErrorIsRecordedAsItsFingerprintAndVerifies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-quoted-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let request: JSONValue = ["contents": [["role": "user", "parts": [["text": "Hi"]]]]]
        let quoted = "API key not valid: \(Self.secret)"
        let cases = [
            Case(
                path: "/v1beta/models/gemini:streamGenerateContent?alt=sse&key=\(Self.secret)", body: request,
                reply: .eventStream([
                    #"data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]}}]}"# + "\n\n",
                    #"data: {"error":{"code":400,"message":"\#(quoted)","status":"INVALID_ARGUMENT"}}"# + "\n\n",
                ])),
            Case(
                path: "/v1beta/models/gpt:streamGenerateContent?alt=sse&key=\(Self.secret)", body: request,
                reply: .eventStream([
                    #"data: {"error":{"message":"\#(quoted)","type":"invalid_request_error"}}"# + "\n\n"
                ])),
            Case(
                path: "/v1beta/models/responses:streamGenerateContent?key=\(Self.secret)", body: request,
                reply: .eventStream([
                    "event: error\ndata: " + #"{"type":"error","code":"invalid_api_key","message":"\#(quoted)"}"#
                        + "\n\n"
                ])),
            // The error cut across two chunks inside the key: held back, and
            // recorded with the key's fingerprint in the second.
            Case(
                path: "/v1beta/models/gemini:streamGenerateContent?alt=sse&key=\(Self.secret)", body: request,
                reply: .eventStream(
                    [
                        #"data: {"error":{"code":400,"message":"API key not valid: \#(Self.secret.prefix(6))"#,
                        #"\#(Self.secret.dropFirst(6))","status":"INVALID_ARGUMENT"}}"# + "\n\n",
                    ], delay: .milliseconds(50))),
        ]
        let sent = try await Self.record(cases, into: directory)
        // The key went upstream: there was one to quote.
        #expect(
            sent.allSatisfy { request in
                let inHeader = request.headers.contains { $0.value.contains(Self.secret) }
                return inHeader || request.query?.contains(Self.secret) == true
            })

        let report = VerifyReport(set: try CassetteLoader.load(paths: [directory]), verifier: ExchangeVerifier())
        #expect(report.differingCount == 0, "\(report.text(verbose: true))")
        #expect(report.matchedCount == cases.count, "\(report.text(verbose: true))")
        var text = ""
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                text += JSONValue.object(event.fields).serializedString() + "\n"
            }
        }
        #expect(!text.contains(Self.secret))
        // Nor a piece of it, from the chunks cut inside it.
        #expect(!text.contains(Self.secret.dropFirst(6)))
        #expect(text.contains("API key not valid: \(Redactor.fingerprint(Self.secret))"))
    }
}
