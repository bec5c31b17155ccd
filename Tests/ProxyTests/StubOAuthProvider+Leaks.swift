import TestSupport
import Testing

extension StubOAuthProvider {
    /// Expects that no token this provider issued reached the cassette or a
    /// log line (message or metadata), and that the check had something to
    /// look at: an exchange whose recording names `recordedPath`, some log
    /// lines, and at least `minimumTokens` issued tokens.
    func expectNoIssuedToken(
        in cassette: FaultCassette, recordedPath: String, log: CapturedLog, minimumTokens: Int,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var recorded = ""
        for events in try cassette.exchanges().values {
            for event in events { recorded += event.json.serializedString() + "\n" }
        }
        #expect(recorded.contains(recordedPath), "nothing was recorded", sourceLocation: sourceLocation)
        let lines = log.messages.map { entry in
            ([entry.message] + entry.metadata.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
        }
        #expect(!lines.isEmpty, sourceLocation: sourceLocation)
        #expect(issuedTokens.count >= minimumTokens, sourceLocation: sourceLocation)
        for token in issuedTokens {
            #expect(!recorded.contains(token), "a token reached the cassette", sourceLocation: sourceLocation)
            for line in lines {
                #expect(!line.contains(token), "a token reached the log: \(line)", sourceLocation: sourceLocation)
            }
        }
    }
}
