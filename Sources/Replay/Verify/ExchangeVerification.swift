import SSE
import Wire

/// The verdict on one exchange, with today's output kept for `--update`.
public struct ExchangeVerification: Sendable {
    public var exchangeID: String
    public var file: String
    /// Why the exchange was not compared (no route, an endpoint that is not
    /// converted...); nil when it was.
    public var skipped: String?
    public var differences: [VerifyDifference]
    /// What today's converters produced, leg by leg; nil where a leg was not
    /// produced.
    public var replayed: Replayed

    /// Today's output for the recorded expectations.
    public struct Replayed: Sendable {
        public var upstreamRequestBody: JSONValue?
        /// The upstream request bodies of the attempts given up before the
        /// one that answered (a `fallback:` list's), in order.
        public var earlierLegRequestBodies: [JSONValue] = []
        public var clientStatus: Int?
        public var clientResponseBody: JSONValue?
        public var clientEvents: [SSEEvent]?

        public init(
            upstreamRequestBody: JSONValue? = nil, clientStatus: Int? = nil, clientResponseBody: JSONValue? = nil,
            clientEvents: [SSEEvent]? = nil
        ) {
            self.upstreamRequestBody = upstreamRequestBody
            self.clientStatus = clientStatus
            self.clientResponseBody = clientResponseBody
            self.clientEvents = clientEvents
        }
    }

    public var matched: Bool { skipped == nil && differences.isEmpty }

    /// The verdict without today's output, which only `--update` needs.
    var withoutReplayed: ExchangeVerification {
        var result = self
        result.replayed = .init()
        return result
    }

    /// `{"x","file","status":"matched|differs|skipped","reason"?,"differences":[...]}`.
    public var json: JSONValue {
        var object: JSONObject = [
            "x": .string(exchangeID), "file": .string(file),
            "status": .string(skipped != nil ? "skipped" : differences.isEmpty ? "matched" : "differs"),
        ]
        if let skipped { object["reason"] = .string(skipped) }
        object["differences"] = .array(differences.map(\.json))
        return .object(object)
    }
}
