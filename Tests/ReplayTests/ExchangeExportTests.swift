import Foundation
import Testing
import Wire

@testable import Replay

@Suite struct ExchangeExportTests {
    @Test func curlUsesPlaceholdersAndNoRecordedSecret() throws {
        var output = ""
        CurlExport.write(try RecordedSession.exchanges(), baseURL: nil, to: &output)
        #expect(!output.contains("[redacted"))
        #expect(!output.contains("1a2b3c4d"))
        #expect(!output.contains("5e6f7a8b"))
        #expect(output.contains(#"-H "x-api-key: $ANTHROPIC_API_KEY""#))
        #expect(output.contains(#"-H "authorization: Bearer $ANTHROPIC_API_KEY""#))
        #expect(output.contains(#"curl -sS -N -X POST "http://127.0.0.1:8082/v1/messages?beta=true""#))
        #expect(!output.lowercased().contains("-h 'host:"), "connection headers are curl's to set")
        #expect(output.components(separatedBy: "curl -sS").count - 1 == 7)
    }

    @Test func curlQuotesBodyAndHeadersSafely() throws {
        let exchange = try RecordedSession.exchange(RecordedSession.okPlain)
        let command = CurlExport.command(for: exchange, baseURL: "http://localhost:9000/")
        let expected = #"""
            curl -sS -N -X POST "http://localhost:9000/v1/messages" \
              -H 'content-type: application/json' \
              -H "authorization: Bearer $ANTHROPIC_API_KEY" \
              --data-binary @- <<'SWITCHBOARD_BODY'
            {"model":"claude-haiku-4-5","max_tokens":50,"messages":[{"role":"user","content":"It's 2+2?"}]}
            SWITCHBOARD_BODY
            """#
        #expect(command == expected)
    }

    @Test func bearerPlaceholderFollowsThePath() {
        #expect(
            CredentialSlot.environmentVariable(header: "Authorization", path: "/v1/chat/completions")
                == "OPENAI_API_KEY")
        #expect(
            CredentialSlot.environmentVariable(header: "authorization", path: "/v1/messages") == "ANTHROPIC_API_KEY")
        #expect(
            CredentialSlot.environmentVariable(
                header: "authorization", path: "/v1beta/models/gemini-2.5-flash:generateContent")
                == "GEMINI_API_KEY")
        #expect(CredentialSlot.environmentVariable(header: "x-goog-api-key", path: "/anything") == "GEMINI_API_KEY")
        #expect(CredentialSlot.environmentVariable(header: "cookie", path: "/v1/messages") == nil)
    }

    /// A secret header no API names points at a variable named after it,
    /// which the shell expands; nothing recorded is left in its place.
    @Test func curlPointsAnyOtherSecretHeaderAtItsOwnVariable() {
        let exchange = RecordedRequest.exchange(
            id: "c", path: "/v1/chat/completions",
            headers: ["x-auth-token": "[redacted:0badf00d]", "x-2fa.token": "[redacted:1a2b3c4d]"],
            body: ["messages": []])
        let command = CurlExport.command(for: exchange, baseURL: nil)
        #expect(command.contains(#"-H "x-auth-token: $SWITCHBOARD_HEADER_X_AUTH_TOKEN""#), "\(command)")
        #expect(command.contains(#"-H "x-2fa.token: $SWITCHBOARD_HEADER_X_2FA_TOKEN""#), "\(command)")
        #expect(!command.contains("redacted"))
        #expect(
            CredentialSlot.environmentVariable(header: "X-Custom-Api-Key", path: "/v1/messages")
                == "SWITCHBOARD_HEADER_X_CUSTOM_API_KEY")
    }

    /// Only the references an export writes are left for the shell: any
    /// other `$` is escaped, a digit ending the name included.
    @Test func curlEscapesADollarItDidNotWrite() {
        #expect(CurlExport.doubleQuoted("a: $OPENAI_API_KEY") == #""a: $OPENAI_API_KEY""#)
        #expect(CurlExport.doubleQuoted("a: $OPENAI_API_KEY2") == #""a: \$OPENAI_API_KEY2""#)
        #expect(CurlExport.doubleQuoted("a: $HOME") == #""a: \$HOME""#)
        #expect(CurlExport.doubleQuoted("a: $SWITCHBOARD_HEADER_X_9") == #""a: $SWITCHBOARD_HEADER_X_9""#)
    }

    @Test func geminiQueryKeyBecomesAPlaceholder() {
        let exchange = RecordedRequest.exchange(
            id: "g", path: "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
            query: "alt=sse&key=[redacted:0badf00d]", headers: ["x-goog-api-key": "[redacted:0badf00d]"],
            body: ["contents": []])
        let command = CurlExport.command(for: exchange, baseURL: nil)
        #expect(
            command.contains(
                #""http://127.0.0.1:8082/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=$GEMINI_API_KEY""#
            ))
        #expect(command.contains(#"-H "x-goog-api-key: $GEMINI_API_KEY""#))
        #expect(!command.contains("0badf00d"))
    }

    /// Any parameter the recorder fingerprints points at the path's
    /// variable: `[redacted:…]` was exported, and re-sent, as it was.
    @Test func everySecretQueryParameterBecomesAPlaceholder() {
        let exchange = RecordedRequest.exchange(
            id: "o", path: "/v1/chat/completions",
            query: "api-key=[redacted:0badf00d]&max_tokens=5&token=[redacted:0badf00d]&pageToken=abc",
            headers: ["content-type": "application/json"], body: ["messages": []])
        let command = CurlExport.command(for: exchange, baseURL: nil)
        #expect(
            command.contains(
                #""http://127.0.0.1:8082/v1/chat/completions?api-key=$OPENAI_API_KEY&max_tokens=5&token=$OPENAI_API_KEY&pageToken=abc""#
            ), "\(command)")
        #expect(!command.contains("0badf00d"))
        let sender = ReplaySender(target: "http://127.0.0.1:9", environment: ["OPENAI_API_KEY": "sk-o"])
        let (request, missing) = sender.makeRequest(for: exchange)
        #expect(
            request.url
                == "http://127.0.0.1:9/v1/chat/completions?api-key=sk%2Do&max_tokens=5&token=sk%2Do&pageToken=abc")
        #expect(missing == [])
        let (_, unset) = ReplaySender(target: "http://127.0.0.1:9", environment: [:]).makeRequest(for: exchange)
        #expect(unset == ["OPENAI_API_KEY"])
    }

    @Test func harIsValidJSONWithRequiredFields() throws {
        let document = HARExport.document(try RecordedSession.exchanges(), baseURL: nil)
        // What a HAR consumer reads must survive a round trip through text.
        let parsed = try JSONValue(parsing: document.serializedString())
        let log = try #require(parsed["log"])
        #expect(log["version"] == "1.2")
        #expect(log["creator"]?["name"] == "log-replay")
        let entries = try #require(log["entries"]?.arrayValue)
        #expect(entries.count == 7)
        for entry in entries {
            for field in ["startedDateTime", "time", "request", "response", "cache", "timings"] {
                #expect(entry[field] != nil, "entry lacks \(field)")
            }
            for field in [
                "method", "url", "httpVersion", "cookies", "headers", "queryString", "headersSize", "bodySize",
            ] {
                #expect(entry["request"]?[field] != nil, "request lacks \(field)")
            }
            for field in ["status", "statusText", "httpVersion", "cookies", "headers", "content", "redirectURL"] {
                #expect(entry["response"]?[field] != nil, "response lacks \(field)")
            }
            #expect(
                entry["timings"]?["send"] != nil && entry["timings"]?["wait"] != nil
                    && entry["timings"]?["receive"] != nil)
        }
        let stream = entries[0]
        #expect(stream["startedDateTime"] == "2026-11-21T08:00:01.000Z")
        #expect(stream["time"] == .double(180.5))
        #expect(stream["timings"]?["wait"] == .double(150.05))
        #expect(stream["request"]?["url"] == "http://127.0.0.1:8082/v1/messages?beta=true")
        #expect(stream["request"]?["queryString"] == [["name": "beta", "value": "true"]])
        #expect(stream["response"]?["content"]?["mimeType"] == "text/event-stream")
        let text = try #require(stream["response"]?["content"]?["text"]?.stringValue)
        #expect(text.hasPrefix("event: message_start\ndata: {\"type\":\"message_start\""))
        #expect(text.hasSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
        #expect(entries[2]["response"]?["status"] == 429)
    }

    @Test func jsonHasOneObjectPerExchangeWithAllItsEvents() throws {
        var output = ""
        let exchanges = try RecordedSession.exchanges()
        ExchangeExport.json(exchanges, to: &output)
        let parsed = try JSONValue(parsing: output)
        let objects = try #require(parsed.arrayValue)
        #expect(objects.count == 7)
        #expect(objects[0]["x"] == "req_ok_stream")
        #expect(objects[0]["events"]?.arrayValue?.count == 14)
        #expect(objects[3]["status"] == 502)
        #expect(objects[3]["failure"] == true)
    }

    @Test func jsonlIsTheRawLines() throws {
        var output = ""
        ExchangeExport.jsonl(try RecordedSession.exchanges(), to: &output)
        let lines = output.split(separator: "\n")
        #expect(lines.count == RecordedSession.text.split(separator: "\n").count - 1, "every line but the header")
        let first = try JSONValue(parsing: String(lines[0]))
        #expect(first["kind"] == "client_request")
        #expect(first["x"] == "req_ok_stream")
    }
}
