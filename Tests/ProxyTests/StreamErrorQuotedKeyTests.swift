import Cassette
import Foundation
import Proxy
import TestSupport
import Testing
import Wire

/// An upstream can report an error inside a 200 stream, or answer 200 with
/// an error body, and quote the key it got there, as it does in an HTTP
/// error body ("Incorrect API key provided: ..."). The key is the route's
/// own: no client, cassette or log line gets it, on a route that relays the
/// upstream's frames (or body) as they came or on one that carries the
/// message over into another dialect's error.
@Suite struct StreamErrorQuotedKeyTests {
    private static let routeKey = "sk-route-STREAMCANARY/5e4d3c2b"
    /// The key a same-host redirect puts in the URL (`?key=`): the one sent
    /// last, and so the one the answer quotes.
    private static let redirectKey = "sk-moved-STREAMCANARY-77aa11bb"

    /// In every key, so that no piece of one (a key cut across chunks), nor
    /// any JSON-escaped form, goes unnoticed where it must not be.
    private static let canary = "CANARY"

    /// `key` as a JSON encoder may write it inside a string: a client
    /// reading the JSON gets the key itself.
    private static func forms(of key: String) -> [String] {
        [
            key, key.replacingOccurrences(of: "/", with: #"\/"#), key.replacingOccurrences(of: "-", with: #"\u002d"#),
            // Escaped twice: a JSON string inside the message's JSON string.
            key.replacingOccurrences(of: "/", with: #"\\\/"#).replacingOccurrences(of: "-", with: #"\\u002d"#),
        ]
    }

    /// `chunks` with the last cut in two `offset` bytes into the key it
    /// quotes: the error event comes in two chunks, the key in the first or
    /// cut between them.
    private static func cut(_ chunks: [String], atKeyOffset offset: Int) -> [String] {
        let last = Array(chunks.last!.utf8)
        let key = Array(routeKey.utf8)
        let at = last.firstRange(of: key)!.lowerBound + offset
        return chunks.dropLast() + [
            String(decoding: last[..<at], as: UTF8.self), String(decoding: last[at...], as: UTF8.self),
        ]
    }

    /// `chunks` with the route's key quoted in its form `form` of ``forms(of:)``.
    private static func quoting(_ form: Int, _ chunks: [String]) -> [String] {
        chunks.map { $0.replacingOccurrences(of: routeKey, with: forms(of: routeKey)[form]) }
    }

    /// One route kind: the client's request, and the upstream's stream,
    /// which quotes ``routeKey`` in its error.
    struct Route: Sendable, CustomTestStringConvertible {
        var name: String
        var path: String
        var request: JSONValue
        var upstream: [String]
        /// The stub's pause between chunks, so that each arrives alone.
        var apart: Duration?
        /// `upstream` is a JSON answer (a 200 carrying an error), not a stream.
        var answersJSON = false
        /// The route's upstream is called without streaming (`can_stream:
        /// false`), its answer turned into the client's stream.
        var upstreamStreams = true
        /// The format of that route (`openai`, `anthropic`).
        var wholeAnswerFormat = "openai"
        /// The status the client gets.
        var status = 200
        /// Kinds of cassette line that must hold the key's fingerprint.
        var recordedKinds = ["upstream_chunk", "client_event", "error"]
        /// The first request is redirected (307, same host) to the same
        /// path with ``redirectKey`` as `?key=`, which the stream quotes.
        var redirected = false
        /// The error comes after the stream's end (`[DONE]`, `message_stop`,
        /// a Gemini `finishReason`): the client, whose stream was complete,
        /// does not get it; only the cassette's chunks hold it.
        var clientGetsError = true
        var testDescription: String { name }
    }

    private static let anthropicError = [
        "event: message_start\ndata: "
            + #"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","#
            + #""content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}"#
            + "\n\n",
        "event: error\ndata: "
            + #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key: \#(routeKey)"}}"#
            + "\n\n",
    ]
    private static let chatError = [
        #"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"upstream-gpt","#
            + #""choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"# + "\n\n",
        #"data: {"error":{"message":"Incorrect API key provided: \#(routeKey)","type":"invalid_request_error","#
            + #""code":"invalid_api_key"}}"# + "\n\n",
    ]
    private static let responsesCreated =
        "event: response.created\ndata: "
        + #"{"type":"response.created","response":{"id":"resp_1","object":"response","status":"in_progress","#
        + #""model":"gpt-5-mini","output":[]}}"# + "\n\n"
    private static let responsesError = [
        responsesCreated,
        "event: error\ndata: "
            + #"{"type":"error","code":"invalid_api_key","message":"Incorrect API key provided: \#(routeKey)","#
            + #""param":null}"# + "\n\n",
    ]
    private static let responsesFailed = [
        responsesCreated,
        "event: response.failed\ndata: "
            + #"{"type":"response.failed","response":{"id":"resp_1","object":"response","status":"failed","#
            + #""model":"gpt-5-mini","output":[],"error":{"code":"server_error","#
            + #""message":"key \#(routeKey) was refused"}}}"# + "\n\n",
    ]
    private static let geminiError = [
        #"data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]}}],"#
            + #""modelVersion":"gemini-2.5-flash"}"# + "\n\n",
        #"data: {"error":{"code":400,"message":"API key not valid: \#(routeKey)","status":"INVALID_ARGUMENT"}}"#
            + "\n\n",
    ]

    private static let chatErrorAnswer =
        #"{"error":{"message":"Incorrect API key provided: \#(routeKey)","type":"invalid_request_error","#
        + #""code":"invalid_api_key"}}"#
    private static let anthropicErrorAnswer =
        #"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key: \#(routeKey)"}}"#
    private static let geminiErrorAnswer =
        #"{"error":{"code":400,"message":"API key not valid: \#(routeKey)","status":"INVALID_ARGUMENT"}}"#

    /// One route to the stub's Chat Completions (or, `format: anthropic`,
    /// Messages), called without streaming.
    private static func wholeAnswerConfig(_ stubBase: String, format: String) -> String {
        """
        models:
          - model_id: gpt
            model_name: upstream-gpt
            api_base: \(stubBase)\(format == "openai" ? "/v1" : "")
            format: \(format)
            api_key: \(routeKey)
            can_stream: false
        """
    }

    private static func messages(_ model: String) -> JSONValue { ProxyHarness.messages(model: model, stream: true) }
    private static func chat(_ model: String, stream: Bool = true) -> JSONValue {
        ["model": .string(model), "stream": .bool(stream), "messages": [["role": "user", "content": "Hi"]]]
    }
    private static func responses(_ model: String) -> JSONValue {
        ["model": .string(model), "stream": true, "input": "Hi"]
    }
    private static let gemini: JSONValue = ["contents": [["role": "user", "parts": [["text": "Hi"]]]]]
    private static let geminiSSE = "/gemini/v1beta/models/gemini:streamGenerateContent?alt=sse"

    static let routes: [Route] = [
        // Relayed in the upstream's own dialect.
        Route(name: "Anthropic relayed", path: "/v1/messages", request: messages("claude"), upstream: anthropicError),
        Route(name: "Chat passed through", path: "/v1/chat/completions", request: chat("gpt"), upstream: chatError),
        Route(
            name: "Responses error passed through", path: "/v1/responses", request: responses("responses"),
            upstream: responsesError),
        Route(
            name: "Responses failure passed through", path: "/v1/responses", request: responses("responses"),
            upstream: responsesFailed),
        Route(name: "Gemini passed through", path: geminiSSE, request: gemini, upstream: geminiError),
        // A JSON array, not events: its own framing of the same frames.
        Route(
            name: "Gemini passed through as a JSON array", path: "/gemini/v1beta/models/gemini:streamGenerateContent",
            request: gemini, upstream: geminiError),
        // The last event with no blank line after it: read only as the stream ends.
        Route(
            name: "Chat passed through, error last and unterminated", path: "/v1/chat/completions",
            request: chat("gpt"), upstream: [chatError[0], String(chatError[1].dropLast(2))]),
        // Carried over into another dialect's error.
        Route(name: "Chat to Anthropic", path: "/v1/messages", request: messages("gpt"), upstream: chatError),
        Route(
            name: "Anthropic to Chat", path: "/v1/chat/completions", request: chat("claude"), upstream: anthropicError),
        Route(
            name: "Responses error to Anthropic", path: "/v1/messages", request: messages("responses"),
            upstream: responsesError),
        Route(
            name: "Responses failure to Gemini", path: "/gemini/v1beta/models/responses:streamGenerateContent?alt=sse",
            request: gemini, upstream: responsesFailed),
        Route(name: "Gemini to Anthropic", path: "/v1/messages", request: messages("gemini"), upstream: geminiError),
        Route(name: "Gemini to Responses", path: "/v1/responses", request: responses("gemini"), upstream: geminiError),
        // The key JSON-escaped in the upstream's JSON: `\/`, then `\u002d`, then both twice.
        Route(
            name: "Chat passed through, the key's slash escaped", path: "/v1/chat/completions", request: chat("gpt"),
            upstream: quoting(1, chatError)),
        Route(
            name: "Chat to Anthropic, the key's slash escaped", path: "/v1/messages", request: messages("gpt"),
            upstream: quoting(1, chatError)),
        Route(
            name: "Anthropic relayed, the key's dashes escaped", path: "/v1/messages", request: messages("claude"),
            upstream: quoting(2, anthropicError)),
        Route(
            name: "Gemini to Anthropic, the key's dashes escaped", path: "/v1/messages", request: messages("gemini"),
            upstream: quoting(2, geminiError)),
        Route(
            name: "Chat passed through, the key escaped twice", path: "/v1/chat/completions", request: chat("gpt"),
            upstream: quoting(3, chatError)),
        Route(
            name: "Gemini to Anthropic, the key escaped twice", path: "/v1/messages", request: messages("gemini"),
            upstream: quoting(3, geminiError)),
        // The error event cut across chunks, inside the key or after it:
        // the chunks before its end are held back, and scrubbed with it.
        Route(
            name: "Chat passed through, the error cut inside the key", path: "/v1/chat/completions",
            request: chat("gpt"), upstream: cut(chatError, atKeyOffset: 12), apart: .milliseconds(50)),
        Route(
            name: "Chat to Anthropic, the error cut after the key", path: "/v1/messages", request: messages("gpt"),
            upstream: cut(chatError, atKeyOffset: routeKey.utf8.count + 3), apart: .milliseconds(50)),
        Route(
            name: "Anthropic relayed, the error cut inside the key", path: "/v1/messages", request: messages("claude"),
            upstream: cut(anthropicError, atKeyOffset: 1), apart: .milliseconds(50)),
        Route(
            name: "Responses failure to Gemini, cut inside the key",
            path: "/gemini/v1beta/models/responses:streamGenerateContent?alt=sse", request: gemini,
            upstream: cut(responsesFailed, atKeyOffset: 20), apart: .milliseconds(50)),
        // A 200 answer, not streamed, that is an error: the upstream's error
        // in the client's shape (502) on every route, passed through or
        // converted, or made the client's stream.
        Route(
            name: "Chat passed through, not streamed", path: "/v1/chat/completions",
            request: chat("gpt", stream: false),
            upstream: cut([chatErrorAnswer], atKeyOffset: 12), apart: .milliseconds(50), answersJSON: true,
            status: 502, recordedKinds: ["upstream_chunk", "client_response", "error"]),
        Route(
            name: "Anthropic relayed, not streamed", path: "/v1/messages",
            request: ProxyHarness.messages(model: "claude"), upstream: [anthropicErrorAnswer], answersJSON: true,
            status: 502, recordedKinds: ["upstream_chunk", "client_response", "error"]),
        Route(
            name: "Gemini passed through, not streamed", path: "/gemini/v1beta/models/gemini:generateContent",
            request: gemini, upstream: [geminiErrorAnswer], answersJSON: true,
            status: 502, recordedKinds: ["upstream_chunk", "client_response", "error"]),
        Route(
            name: "Chat to Anthropic, not streamed", path: "/v1/messages", request: ProxyHarness.messages(model: "gpt"),
            upstream: cut([chatErrorAnswer], atKeyOffset: 3), apart: .milliseconds(50), answersJSON: true, status: 502,
            recordedKinds: ["upstream_chunk", "client_response", "error"]),
        Route(
            name: "Chat to Anthropic, the upstream not streamed", path: "/v1/messages", request: messages("gpt"),
            upstream: cut([chatErrorAnswer], atKeyOffset: 12), apart: .milliseconds(50), answersJSON: true,
            upstreamStreams: false),
        Route(
            name: "Anthropic to Anthropic, the upstream not streamed", path: "/v1/messages", request: messages("gpt"),
            upstream: [anthropicErrorAnswer], answersJSON: true, upstreamStreams: false, wholeAnswerFormat: "anthropic"),
        Route(
            name: "Anthropic to Chat, the upstream not streamed", path: "/v1/chat/completions", request: chat("gpt"),
            upstream: [anthropicErrorAnswer], answersJSON: true, upstreamStreams: false, wholeAnswerFormat: "anthropic"),
        // Redirected: the credentials sent last are the ones quoted.
        Route(
            name: "Chat to Anthropic, after a redirect", path: "/v1/messages", request: messages("gpt"),
            upstream: chatError.map { $0.replacingOccurrences(of: routeKey, with: redirectKey) }, redirected: true),
        Route(
            name: "Chat passed through, after a redirect", path: "/v1/chat/completions", request: chat("gpt"),
            upstream: chatError.map { $0.replacingOccurrences(of: routeKey, with: redirectKey) }, redirected: true),
        // After the stream's end: not relayed, and recorded scrubbed (no
        // error is read there, so nothing else scrubbed it).
        Route(
            name: "Chat passed through, an error after [DONE]", path: "/v1/chat/completions", request: chat("gpt"),
            upstream: [chatError[0], "data: [DONE]\n\n", chatError[1]], recordedKinds: ["upstream_chunk"],
            clientGetsError: false),
        // A line that is no event (no `data:`) reads as nothing at all.
        Route(
            name: "Chat passed through, a bare line after [DONE]", path: "/v1/chat/completions", request: chat("gpt"),
            upstream: [chatError[0], "data: [DONE]\n\n", String(chatError[1].dropFirst(6))],
            recordedKinds: ["upstream_chunk"], clientGetsError: false),
        Route(
            name: "Chat passed through, a bare line after [DONE] in its chunk", path: "/v1/chat/completions",
            request: chat("gpt"), upstream: [chatError[0], "data: [DONE]\n\n" + String(chatError[1].dropFirst(6))],
            recordedKinds: ["upstream_chunk"], clientGetsError: false),
        Route(
            name: "Anthropic relayed, a comment after message_stop in its chunk", path: "/v1/messages",
            request: messages("claude"),
            upstream: Array(UpstreamBodies.anthropicStream.dropLast())
                + [UpstreamBodies.anthropicStream.last! + ": " + String(chatError[1].dropFirst(6))],
            recordedKinds: ["upstream_chunk"], clientGetsError: false),
        Route(
            name: "Chat passed through, an error after [DONE] in its chunk", path: "/v1/chat/completions",
            request: chat("gpt"), upstream: [chatError[0], "data: [DONE]\n\n" + chatError[1]],
            recordedKinds: ["upstream_chunk"], clientGetsError: false),
        Route(
            name: "Anthropic relayed, an error after message_stop", path: "/v1/messages", request: messages("claude"),
            upstream: UpstreamBodies.anthropicStream + [anthropicError[1]], recordedKinds: ["upstream_chunk"],
            clientGetsError: false),
        Route(
            name: "Gemini passed through, cut inside an error after finishReason", path: geminiSSE, request: gemini,
            upstream: [geminiFinished, String(geminiError[1].dropLast(8))], apart: .milliseconds(50),
            recordedKinds: ["upstream_chunk"], clientGetsError: false),
        // Gemini sends no terminator: its stream ends at the `finishReason`
        // chunk, and what follows it that makes no event is read by no one,
        // alone or after that chunk's event, relayed as it came or converted.
        Route(
            name: "Gemini passed through, a bare line after finishReason", path: geminiSSE, request: gemini,
            upstream: [geminiFinished, geminiBareError], apart: .milliseconds(50), recordedKinds: ["upstream_chunk"],
            clientGetsError: false),
        Route(
            name: "Gemini passed through, a bare line after finishReason in its chunk", path: geminiSSE,
            request: gemini, upstream: [geminiFinished + geminiBareError], recordedKinds: ["upstream_chunk"],
            clientGetsError: false),
        Route(
            name: "Gemini to Anthropic, a bare line after finishReason", path: "/v1/messages",
            request: messages("gemini"), upstream: [geminiFinished, geminiBareError], apart: .milliseconds(50),
            recordedKinds: ["upstream_chunk"], clientGetsError: false),
        Route(
            name: "Gemini to Chat, a comment after finishReason in its chunk", path: "/v1/chat/completions",
            request: chat("gemini"), upstream: [geminiFinished + ": " + geminiBareError],
            recordedKinds: ["upstream_chunk"], clientGetsError: false),
    ]

    /// ``geminiError``'s error as a line that is no event (no `data:`).
    private static let geminiBareError = String(geminiError[1].dropFirst(6))

    private static let geminiFinished =
        #"data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"finishReason":"STOP"}],"#
        + #""usageMetadata":{"promptTokenCount":3,"candidatesTokenCount":1},"modelVersion":"gemini-2.5-flash"}"#
        + "\n\n"

    @Test(arguments: routes)
    func aKeyQuotedInAStreamsErrorReachesNoClientCassetteOrLog(_ route: Route) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-stream-key-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorder = try CassetteRecorder(directory: directory)
        let log = CapturedLog()
        let quotedKey = route.redirected ? Self.redirectKey : Self.routeKey
        let fingerprint = Redactor.fingerprint(quotedKey)
        var config: ((String) -> String)?
        if !route.upstreamStreams { config = { Self.wholeAnswerConfig($0, format: route.wholeAnswerFormat) } }
        try await ProxyHarness.run(
            apiKey: Self.routeKey, recording: ExchangeRecording(recorder: recorder), configYAML: config,
            logger: log.logger(level: .trace)
        ) { proxy in
            if route.redirected {
                proxy.stub.replyFor = { request in
                    request.query?.contains("key=") == true
                        ? .eventStream(route.upstream)
                        : StubHTTPServer.Reply(
                            status: 307, headers: [("location", "\(request.path)?key=\(Self.redirectKey)")])
                }
            } else {
                var answer = StubHTTPServer.Reply.eventStream(route.upstream, delay: route.apart)
                if route.answersJSON { answer.headers = [("content-type", "application/json")] }
                proxy.stub.reply = answer
            }
            let reply = try await proxy.post(route.path, json: route.request)
            #expect(reply.status == route.status)
            #expect(!reply.text.contains(Self.canary), "\(reply.text)")
            if route.clientGetsError {
                #expect(reply.text.contains(fingerprint), "the error's message is lost: \(reply.text)")
            }
            // The upstream really got the key: there was one to leak.
            let sent = try #require(proxy.stub.requests.last)
            #expect(
                sent.headers.contains { $0.value.contains(quotedKey) } || sent.query?.contains(quotedKey) == true)
        }
        // Both sides of the proxy are recorded with the fingerprint (so a
        // replay of the upstream's chunks gives what the client got), and
        // the error line too.
        var recorded: [String: [String]] = [:]
        for file in try CassetteReader.cassetteFiles(in: [directory]) {
            for event in try CassetteReader.read(path: file).events {
                recorded[event.kind, default: []].append(event.json.serializedString())
                if let chunk = event.chunkBytes {
                    recorded[event.kind, default: []].append(String(decoding: chunk, as: UTF8.self))
                }
            }
        }
        #expect(!recorded.values.joined().contains { $0.contains(Self.canary) }, "\(recorded)")
        for kind in route.recordedKinds {
            #expect(recorded[kind]?.contains { $0.contains(fingerprint) } == true, "\(kind): \(recorded[kind] ?? [])")
        }
        let lines = log.messages.map { entry in
            ([entry.message.description] + entry.metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
        for line in lines {
            #expect(!line.contains(Self.canary), "a key reached the log: \(line)")
        }
    }
}
