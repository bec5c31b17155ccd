import Cassette
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
}
