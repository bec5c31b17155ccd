import Cassette
import Foundation
import Testing
import Wire

@testable import Replay

/// `log-replay verify` compares what the proxy decides in the heads too:
/// the upstream request's URL and the header its key goes in (recomputed
/// from the route line with Convert's UpstreamEndpoint), and the client
/// answer's content type. Each test alters one thing in a copy of a corpus
/// cassette and expects exactly that difference.
@Suite struct UpstreamHeadVerifyTests {
    /// The differences verify reports for the routed exchanges of a copy of
    /// `relative` with each line passed through `change`.
    static func differences(
        _ relative: String, changing change: @escaping (CassetteEvent) -> CassetteEvent = { $0 }
    ) throws -> [VerifyDifference] {
        let path = try Corpus.copy(of: relative, changing: change)
        let set = try CassetteLoader.load(paths: [path])
        let results = set.exchanges.filter { $0.route != nil }.map { ExchangeVerifier().verify($0) }
        #expect(!results.isEmpty)
        #expect(results.allSatisfy { $0.skipped == nil })
        return results.flatMap(\.differences)
    }

    /// `kind` lines with `field` (a string) replaced by `value`.
    static func setting(
        _ kind: CassetteEvent.Kind, _ field: String, to value: String
    ) -> (CassetteEvent) -> CassetteEvent {
        { event in
            guard event.knownKind == kind else { return event }
            var changed = event
            changed[field] = .string(value)
            return changed
        }
    }

    /// `kind` lines with header `name` renamed to `newName`, or removed
    /// when `newName` is nil.
    static func renaming(
        _ kind: CassetteEvent.Kind, header name: String, to newName: String?
    )
        -> (CassetteEvent) -> CassetteEvent
    {
        { event in
            guard event.knownKind == kind, var headers = event["headers"]?.objectValue else { return event }
            let value = headers[name]
            headers[name] = nil
            if let newName, let value { headers[newName] = value }
            var changed = event
            changed["headers"] = .object(headers)
            return changed
        }
    }

    static let geminiBody = "providers/gemini/google-text.body.jsonl.lz4"
    static let geminiStream = "providers/gemini/google-text.stream.jsonl.lz4"

    /// The recorded upstream's `http://127.0.0.1:PORT`: the port changes
    /// whenever the cassette is recorded again.
    static func recordedOrigin(_ relative: String) throws -> String {
        let contents = try CassetteReader.read(path: try Corpus.directory() + "/" + relative)
        let request = try #require(contents.events.first { $0.knownKind == .upstreamRequest })
        let url = try #require(request["url"]?.stringValue)
        return String(try #require(url.firstRange(of: "/v1beta").map { url[..<$0.lowerBound] }))
    }

    @Test(arguments: [
        geminiBody, geminiStream, "dialects/openai-to-anthropic.stream.jsonl.lz4",
        "dialects/gemini-to-openai-responses.body.jsonl.lz4", "claude-code/anthropic-write.jsonl.lz4",
        "claude-code/claude-code-subscription-write.jsonl.lz4", "claude-code/codex-subscription-write.jsonl.lz4",
    ])
    func anUnalteredRecordingHasNoDifference(_ relative: String) throws {
        #expect(try Self.differences(relative) == [])
    }

    @Test func aGeminiURLThatStreamsWhereTheRouteDidNotDiffers() throws {
        let base = try Self.recordedOrigin(Self.geminiBody) + "/v1beta/models/gemini-3-pro-preview"
        let differences = try Self.differences(
            Self.geminiBody,
            changing: Self.setting(.upstreamRequest, "url", to: base + ":streamGenerateContent?alt=sse"))
        #expect(
            differences == [
                VerifyDifference(
                    leg: "upstream_request", pointer: "/url",
                    expected: .string(base + ":streamGenerateContent?alt=sse"),
                    actual: .string(base + ":generateContent"))
            ])
    }

    @Test func aGeminiURLNamingAnotherModelDiffers() throws {
        let origin = try Self.recordedOrigin(Self.geminiStream)
        let differences = try Self.differences(
            Self.geminiStream,
            changing: Self.setting(
                .upstreamRequest, "url",
                to: origin + "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"))
        #expect(differences.map(\.pointer) == ["/url"])
        #expect(
            differences.first?.actual
                == .string(origin + "/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse"))
    }

    /// Claude Code's `?beta=true` goes on to an Anthropic upstream: a
    /// recording without it differs.
    @Test func anAnthropicURLWithoutTheClientsBetaDiffers() throws {
        let differences = try Self.differences(
            "claude-code/anthropic-write.jsonl.lz4",
            changing: Self.setting(.upstreamRequest, "url", to: "http://127.0.0.1:44289/v1/messages"))
        #expect(!differences.isEmpty)
        #expect(
            differences.allSatisfy {
                $0.pointer == "/url" && $0.actual == .string("http://127.0.0.1:44289/v1/messages?beta=true")
            })
    }

    @Test func aRenamedGeminiKeyHeaderDiffers() throws {
        let differences = try Self.differences(
            Self.geminiBody, changing: Self.renaming(.upstreamRequest, header: "x-goog-api-key", to: "x-api-key"))
        #expect(
            differences == [
                VerifyDifference(
                    leg: "upstream_request", pointer: "/headers/x-goog-api-key", expected: nil,
                    actual: .string("[redacted:35097e9c]"))
            ])
    }

    /// A route that sets or removes headers itself (`extra_headers`, header
    /// rules) may put its key anywhere: the recording's key header is not
    /// second-guessed, as the route line says so.
    @Test func aRouteThatConfiguresHeadersKeepsItsKeyHeader() throws {
        let rename = Self.renaming(.upstreamRequest, header: "x-goog-api-key", to: "x-api-key")
        let differences = try Self.differences(
            Self.geminiBody,
            changing: { event in
                guard event.knownKind == .route, case .object(var options)? = event["options"] else {
                    return rename(event)
                }
                options["configured_headers"] = true
                var changed = event
                changed["options"] = .object(options)
                return changed
            })
        #expect(differences == [])
    }

    /// An OpenAI key as `x-api-key` rather than a bearer token: the name and
    /// the scheme are compared, the key being the recorded fingerprint.
    @Test func anOpenAIKeyWithoutItsBearerSchemeDiffers() throws {
        let differences = try Self.differences(
            "dialects/gemini-to-openai-responses.body.jsonl.lz4",
            changing: Self.renaming(.upstreamRequest, header: "authorization", to: nil))
        // No header holds a key any more: nothing to say where it went.
        #expect(differences == [])
        let moved = try Self.differences(
            "dialects/gemini-to-openai-responses.body.jsonl.lz4",
            changing: { event in
                guard event.knownKind == .upstreamRequest, var headers = event["headers"]?.objectValue,
                    let bearer = headers["authorization"]?.stringValue
                else { return event }
                headers["authorization"] = nil
                headers["x-api-key"] = .string(String(bearer.dropFirst("Bearer ".count)))
                var changed = event
                changed["headers"] = .object(headers)
                return changed
            })
        #expect(moved.count == 1)
        #expect(moved.first?.pointer == "/headers/authorization")
        #expect(moved.first?.expected == nil)
        #expect(moved.first?.actual?.stringValue?.hasPrefix("Bearer [redacted:") == true)
    }

    /// A Claude Code login's token goes as a bearer token: its route line
    /// from before `auth` was recorded is read so by the OAuth beta beside
    /// it; without that beta, the route's `auth` says so.
    @Test func anAnthropicBearerTokenIsExpectedByTheOAuthBetaOrTheRoutesAuth() throws {
        let subscription = "claude-code/claude-code-subscription-write.jsonl.lz4"
        let withoutBeta: (CassetteEvent) -> CassetteEvent = { event in
            guard event.knownKind == .upstreamRequest, var headers = event["headers"]?.objectValue,
                let betas = headers["anthropic-beta"]?.stringValue
            else { return event }
            headers["anthropic-beta"] = .string(betas.replacing(",oauth-2025-04-20", with: ""))
            var changed = event
            changed["headers"] = .object(headers)
            return changed
        }
        let differences = try Self.differences(subscription, changing: withoutBeta)
        #expect(!differences.isEmpty)
        #expect(
            differences.allSatisfy {
                $0.pointer == "/headers/x-api-key" && $0.expected == nil && $0.actual == "[redacted:a0ee03bf]"
            })
        let withAuth = try Self.differences(
            subscription,
            changing: { event in
                var changed = withoutBeta(event)
                if changed.knownKind == .route { changed["options"]?["auth"] = "bearer" }
                return changed
            })
        #expect(withAuth == [])
    }

    @Test func aStreamAnsweredAsJSONDiffers() throws {
        let differences = try Self.differences(
            Self.geminiStream, changing: Self.renaming(.clientResponse, header: "Content-Type", to: nil))
        #expect(
            differences == [
                VerifyDifference(
                    leg: "client_response", pointer: "/headers/content-type", expected: nil,
                    actual: .string("text/event-stream; charset=utf-8"))
            ])
        let json = try Self.differences(
            Self.geminiStream,
            changing: { event in
                guard event.knownKind == .clientResponse, var headers = event["headers"]?.objectValue else {
                    return event
                }
                headers["Content-Type"] = "application/json"
                var changed = event
                changed["headers"] = .object(headers)
                return changed
            })
        #expect(
            json == [
                VerifyDifference(
                    leg: "client_response", pointer: "/headers/content-type", expected: "application/json",
                    actual: .string("text/event-stream; charset=utf-8"))
            ])
    }

    @Test func aWholeAnswerSentAsAStreamDiffers() throws {
        let differences = try Self.differences(
            Self.geminiBody,
            changing: { event in
                guard event.knownKind == .clientResponse, var headers = event["headers"]?.objectValue else {
                    return event
                }
                headers["Content-Type"] = "text/event-stream; charset=utf-8"
                var changed = event
                changed["headers"] = .object(headers)
                return changed
            })
        #expect(
            differences == [
                VerifyDifference(
                    leg: "client_response", pointer: "/headers/content-type",
                    expected: "text/event-stream; charset=utf-8", actual: .string("application/json"))
            ])
    }

    /// `--update` writes today's URL, key header and content type, after
    /// which the copy verifies.
    @Test func updateRewritesTheHeads() throws {
        let origin = try Self.recordedOrigin(Self.geminiBody)
        let path = try Corpus.copy(
            of: Self.geminiBody,
            changing: { event in
                var changed = Self.setting(.upstreamRequest, "url", to: origin + "/v1beta/wrong")(event)
                changed = Self.renaming(.upstreamRequest, header: "x-goog-api-key", to: "x-goog-api-kee")(changed)
                return Self.renaming(.clientResponse, header: "Content-Type", to: nil)(changed)
            })
        let before = VerifyTests.verify([path])
        #expect(before.status == 1)
        let updated = VerifyTests.verify([path], update: true)
        #expect(updated.status == 0)
        let after = VerifyTests.verify([path])
        #expect(after.status == 0, "\(after.output)")
        let request = try #require(
            try CassetteReader.read(path: path).events.first { $0.knownKind == .upstreamRequest })
        #expect(request["url"] == .string(origin + "/v1beta/models/gemini-3-pro-preview:generateContent"))
        #expect(request["headers"]?["x-goog-api-key"] == "[redacted:35097e9c]")
    }
}
