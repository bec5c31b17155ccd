import Cassette
import Convert
import SSE
import Testing

@Suite struct RedactorCredentialsTests {
    @Test func aRequestsCredentialsAreItsSecretHeadersAndQueryKeys() {
        let found = Redactor().credentials(
            headers: [
                ("Authorization", "Bearer sk-token-12345"), ("X-API-Key", "sk-other-6789"), ("accept", "text/plain"),
                ("x-goog-api-key", "short"),
            ], url: "https://h/v1/x?alt=sse&KEY=AIza%2Bkey%2F123&q=1")
        #expect(
            Set(found) == [
                "Bearer sk-token-12345", "sk-token-12345", "sk-other-6789", "AIza%2Bkey%2F123", "AIza+key/123",
            ])
        // Longest first, so the bare token is replaced after the whole value.
        #expect(found.first == "Bearer sk-token-12345")
    }

    @Test func everyOccurrenceIsReplacedByItsFingerprint() {
        let body = Array(#"{"error":"Incorrect API key provided: sk-token-12345 (sk-token-12345)"}"#.utf8)
        let scrubbed = String(
            decoding: Redactor.scrubbing(body, of: ["sk-token-12345", "absent-123456"]), as: UTF8.self)
        let fingerprint = Redactor.fingerprint("sk-token-12345")
        #expect(scrubbed == #"{"error":"Incorrect API key provided: \#(fingerprint) (\#(fingerprint))"}"#)
        // Too short to be a key, and too likely to be found by chance.
        #expect(Redactor.scrubbing(Array("a short one".utf8), of: ["short"]) == Array("a short one".utf8))
    }

    /// A key quoted inside JSON, as an encoder may write it: `/` as `\/`,
    /// any ASCII character as `\u00XX`, a quote or a backslash escaped.
    /// The client reads the JSON, and so would get the key itself.
    @Test func aKeyQuotedJSONEscapedIsReplacedToo() {
        let key = #"sk-tok/en+12"3\45"#
        let fingerprint = Redactor.fingerprint(key)
        for quoted in [
            #"sk-tok\/en+12\"3\\45"#, #"sk\u002dtok\/en\u002B12\u00223\\45"#, #"\u0073k-tok/en+12\"3\\45"#,
        ] {
            let body = Array(#"{"error":{"message":"Incorrect API key provided: \#(quoted). \#(quoted)"}}"#.utf8)
            let scrubbed = String(decoding: Redactor.scrubbing(body, of: [key]), as: UTF8.self)
            #expect(
                scrubbed == #"{"error":{"message":"Incorrect API key provided: \#(fingerprint). \#(fingerprint)"}}"#,
                "\(quoted)")
            var frames = SSEFrames()
            frames.append(SSEEvent(event: "error", data: String(decoding: body, as: UTF8.self)))
            #expect(!String(decoding: Redactor.scrubbing(frames, of: [key]).bytes, as: UTF8.self).contains(quoted))
        }
        // An escape of another character, or one cut short, is no quote.
        for other in [#"sk\u002etok/en+12"3\45"#, #"sk\u002"#] {
            #expect(Redactor.scrubbing(Array(other.utf8), of: [key]) == Array(other.utf8))
        }
    }

    /// A key in a JSON string inside a JSON string (an error quoting a
    /// JSON-encoded request, itself JSON-encoded, as some gateways write
    /// it): each escape's backslash is escaped in turn (`\\u002d`, `\\\/`,
    /// `\\\"`), or written `\u005c`. The client that decodes both gets the key.
    @Test func aKeyEscapedTwiceIsReplacedToo() {
        let key = #"sk-tok/en+12"3\45"#
        let fingerprint = Redactor.fingerprint(key)
        for quoted in [
            #"sk-tok\\\/en+12\\\"3\\\\45"#, #"sk-tok\\/en+12\\\"3\\\\45"#,
            #"sk\\u002dtok\\/en\\u002B12\\u00223\\\\45"#, #"sk\u005cu002dtok/en+12\u005c\"3\u005c\u005c45"#,
            // One escaped once, the next twice.
            #"sk\u002dtok\\\/en+12\"3\\45"#,
        ] {
            let body = Array(
                #"{"error":{"message":"gateway: {\"detail\":\"Incorrect API key provided: \#(quoted)\"}"}}"#.utf8)
            let scrubbed = String(decoding: Redactor.scrubbing(body, of: [key]), as: UTF8.self)
            #expect(
                scrubbed
                    == #"{"error":{"message":"gateway: {\"detail\":\"Incorrect API key provided: \#(fingerprint)\"}"}}"#,
                "\(quoted)")
        }
        // An escape twice of another character, or one cut short, is no quote.
        for other in [#"sk\\u002etok/en+12"3\45"#, #"sk\\u002"#, #"sk\\"#] {
            #expect(Redactor.scrubbing(Array(other.utf8), of: [key]) == Array(other.utf8))
        }
    }

    /// An error a stream reported: its frames, as the client reads them,
    /// and the error, as it is logged and recorded, carry the fingerprint.
    @Test func framesAndErrorsAreScrubbedAsTheyAreRead() {
        let key = "sk-token-12345"
        let fingerprint = Redactor.fingerprint(key)
        var frames = SSEFrames()
        frames.append(SSEEvent(event: "ping", data: "{}"))
        frames.append(SSEEvent(event: "error", data: #"{"message":"bad key \#(key)"}"#, id: "7"))
        let scrubbed = Redactor.scrubbing(frames, of: [key])
        #expect(
            scrubbed.events == [
                SSEEvent(event: "ping", data: "{}"),
                SSEEvent(event: "error", data: #"{"message":"bad key \#(fingerprint)"}"#, id: "7"),
            ])
        #expect(String(decoding: scrubbed.bytes, as: UTF8.self).contains(fingerprint))
        #expect(Redactor.scrubbing(frames, of: ["absent-123456"]).bytes == frames.bytes)

        var error = APIError(status: 401, type: "authentication_error", message: "bad key \(key)")
        error.upstreamBody = .init(dialect: .openai, bytes: Array(#"{"error":"\#(key)"}"#.utf8))
        let clean = Redactor.scrubbing(error, of: [key])
        #expect(clean.message == "bad key \(fingerprint)")
        #expect(clean.upstreamBody?.bytes == Array(#"{"error":"\#(fingerprint)"}"#.utf8))
        #expect(clean.status == 401 && clean.type == "authentication_error")
    }
}
