import Foundation
import TestSupport
import Testing
import Wire

/// Bad client input gets 400/404/413 in Anthropic's shape, naming what is
/// wrong, without reaching the upstream.
@Suite struct ClientErrorTests {
    @Test func malformedJSONNamesLineAndColumn() async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.post(text: "{\n  \"model\": \"gpt\",\n  \"max_tokens\": ,\n}")
            #expect(reply.status == 400)
            #expect(reply.errorType == "invalid_request_error")
            #expect(reply.errorMessage?.contains("line 3, column") == true)
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    @Test(arguments: ["model", "messages", "max_tokens"])
    func missingFieldIsNamed(field: String) async throws {
        try await ProxyHarness.run { proxy in
            var request = ProxyHarness.messages()
            request[field] = nil
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 400)
            #expect(reply.errorType == "invalid_request_error")
            #expect(reply.errorMessage?.contains(field) == true)
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    /// The proxy reads a repeated member's first value, most upstreams the
    /// last: routed as one model and served as another on the route's key,
    /// or a stream flag the two sides disagree on. Refused in every dialect,
    /// nothing sent upstream.
    @Test(arguments: [
        (
            "/v1/messages", #"{"model":"gpt","max_tokens":5,"messages":[{"role":"user","content":"hi"}],"model":"x"}"#,
            "/model"
        ),
        (
            "/v1/chat/completions",
            #"{"model":"gpt","messages":[{"role":"user","content":"hi"}],"stream":false,"stream":true}"#, "/stream"
        ),
        (
            "/v1beta/models/gpt:generateContent",
            #"{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"maxOutputTokens":5,"maxOutputTokens":9}}"#,
            "/generationConfig/maxOutputTokens"
        ),
    ])
    func aMemberGivenTwiceIs400(path: String, body: String, pointer: String) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.post(path, text: body)
            #expect(reply.status == 400, "\(reply.text)")
            #expect(reply.errorMessage?.hasPrefix(pointer + ": the member is given twice") == true, "\(reply.text)")
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    /// A compressed body is not read as JSON (which failed on its first
    /// byte, saying nothing of the cause): 415 naming the encoding, in each
    /// dialect's shape.
    @Test(arguments: ["/v1/messages", "/v1/chat/completions", "/v1beta/models/gpt:generateContent"])
    func aCompressedBodyIs415NamingItsEncoding(path: String) async throws {
        try await ProxyHarness.run { proxy in
            let gzipped: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xAB, 0xAE, 0x05, 0x00]
            let reply = try await proxy.send(
                .POST, path, body: gzipped,
                headers: [("content-type", "application/json"), ("content-encoding", "gzip")])
            #expect(reply.status == 415, "\(reply.text)")
            #expect(
                reply.errorMessage
                    == "request bodies with content-encoding `gzip` are not read; send the body uncompressed",
                "\(reply.text)")
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    @Test func wrongTypeIsNamed() async throws {
        try await ProxyHarness.run { proxy in
            var request = ProxyHarness.messages()
            request["max_tokens"] = "lots"
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 400)
            #expect(reply.errorMessage?.contains("max_tokens") == true)
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await ProxyHarness.run(maxBodyBytes: 1024) { proxy in
            var request = ProxyHarness.messages()
            request["messages"] = [["role": "user", "content": .string(String(repeating: "x", count: 4096))]]
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 413)
            #expect(reply.errorType == "request_too_large")
            #expect(reply.errorMessage?.contains("--max-body-mb") == true)
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    @Test func anOversizedChunkedBodyIs413AndRecordedWhileRecording() async throws {
        // No content-length: the limit is found while the body is read,
        // and the recording must not read it a second time.
        let cassette = try FaultCassette()
        defer { cassette.remove() }
        try await ProxyHarness.run(maxBodyBytes: 1024, recording: cassette.recording) { proxy in
            try await RawClientConnection.with(port: proxy.port) { connection in
                let part = String(repeating: "x", count: 2000)
                try await connection.write(
                    "POST /v1/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n" + String(part.utf8.count, radix: 16) + "\r\n" + part
                        + "\r\n0\r\n\r\n")
                let reply = try #require(try await connection.readResponse())
                #expect(reply.status == 413)
                #expect(try JSONValue(parsing: reply.body)["error"]?["type"] == "request_too_large")
            }
            try await expectStillServing(proxy)
        }
        let outcomes = try cassette.exchanges().values.map { $0.last?["outcome"]?.stringValue }
        #expect(outcomes.sorted { ($0 ?? "") < ($1 ?? "") } == ["error", "ok"])
    }

    @Test func unknownModelIs404ListingTheConfiguredIDs() async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.post(json: ProxyHarness.messages(model: "mystery-model"))
            #expect(reply.status == 404)
            #expect(reply.errorType == "not_found_error")
            #expect(reply.errorMessage?.contains("mystery-model") == true)
            #expect(reply.errorMessage?.contains("gpt, claude, gemini, responses, down") == true)
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }

    // A trailing slash: the router matches it, the generate endpoint does not take it.
    @Test(arguments: [("POST", "/v2/messages"), ("GET", "/"), ("POST", "/v1/messages/")])
    func unknownEndpointIs404(method: String, path: String) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.send(
                .init(rawValue: method), path, body: method == "POST" ? Array("{}".utf8) : nil)
            #expect(reply.status == 404)
            #expect(reply.json?["type"] == "error")
            #expect(reply.errorType == "not_found_error")
            #expect(reply.errorMessage == "unknown endpoint: \(method) \(path); \(EndpointRefusalTests.served)")
            #expect(reply.headers.first(name: "request-id")?.hasPrefix("req_") == true)
            try await expectStillServing(proxy)
        }
    }

    /// A Gemini endpoint the proxy serves, but a model name that is not
    /// valid percent-encoding: 400 in Gemini's shape, naming the model as
    /// sent; an unknown method there is still an unknown endpoint. Sent raw:
    /// an HTTP client library escapes a stray `%` in the URL it is given.
    @Test func aGeminiModelThatIsNotPercentEncodingIs400() async throws {
        try await ProxyHarness.run { proxy in
            let body = #"{"contents":[{"parts":[{"text":"Hi"}]}]}"#
            let cases = [
                ("/v1beta/models/gem%ZZini:generateContent", 400, "gem%ZZini"),
                ("/gemini/v1/models/%FF:streamGenerateContent", 400, "%FF"),
                ("/v1beta/models/gem%ZZini:fooContent", 404, nil),
            ]
            for (path, status, model) in cases {
                let reply = try await RawClientConnection.with(port: proxy.port) { connection in
                    try await connection.write(RawClientConnection.request("POST", path, body: body))
                    return try #require(try await connection.readResponse())
                }
                #expect(reply.status == status, "\(path)")
                let error = try JSONValue(parsing: reply.body)["error"]
                #expect(error?["code"] == .int(Int64(status)), "\(path)")
                if let model {
                    #expect(error?["status"] == "INVALID_ARGUMENT", "\(path)")
                    #expect(
                        error?["message"]?.stringValue
                            == "the model in the path, \"\(model)\", is not valid percent-encoding (%XX escapes of UTF-8)"
                    )
                } else {
                    #expect(error?["status"] == "NOT_FOUND", "\(path)")
                }
            }
            #expect(proxy.stub.requests.isEmpty)
            try await expectStillServing(proxy)
        }
    }
}

/// A number beyond a `Double`'s range in a client's body is refused in the
/// client's own shape, naming the member, instead of reaching the upstream
/// as `null`.
@Suite struct OutOfRangeNumberTests {
    @Test(arguments: [
        (
            "/v1/messages",
            #"{"model":"gpt","max_tokens":5,"temperature":1e999,"messages":[{"role":"user","content":"hi"}]}"#
        ),
        (
            "/v1/chat/completions",
            #"{"model":"claude","temperature":-1e999,"messages":[{"role":"user","content":"hi"}]}"#
        ),
        (
            "/v1beta/models/gpt:generateContent",
            #"{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"temperature":1E+400}}"#
        ),
    ])
    func isRefusedNamingTheMember(path: String, body: String) async throws {
        try await ProxyHarness.run { proxy in
            let reply = try await proxy.post(path, text: body)
            #expect(reply.status == 400, "\(reply.text)")
            let message = try #require(reply.errorMessage, "\(reply.text)")
            #expect(message.contains(#"number out of range"#), "\(message)")
            #expect(message.contains(#"in "temperature" at line 1"#), "\(message)")
            switch path {
            case "/v1/messages": #expect(reply.json?["type"] == "error")
            case "/v1/chat/completions": #expect(reply.errorType == "invalid_request_error")
            default: #expect(reply.json?["error"]?["status"] == "INVALID_ARGUMENT")
            }
            #expect(proxy.stub.requests.isEmpty)
        }
    }

    /// An upstream's answer that must be converted is not read with the
    /// number as `null` either: it is the upstream's fault, a 502 that says
    /// why.
    @Test func anUpstreamAnswerWithOneIs502() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(
                200,
                UpstreamBodies.openAICompletion.replacingOccurrences(
                    of: #""prompt_tokens":5"#, with: #""prompt_tokens":5e999"#))
            let reply = try await proxy.post(json: ProxyHarness.messages())
            #expect(reply.status == 502, "\(reply.text)")
            #expect(
                reply.errorMessage?.contains(
                    #"number out of range (5e999 is beyond a 64-bit float) in "prompt_tokens""#) == true,
                "\(reply.text)")
        }
    }
}
