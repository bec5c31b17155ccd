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
    /// The exchange has no `end` line (a crash, a torn tail, a proxy still
    /// answering): it was compared as far as it was recorded, and without
    /// a difference it is reported incomplete, never matched.
    public var incomplete = false

    /// Today's output for the recorded expectations.
    public struct Replayed: Sendable {
        public var upstreamRequestBody: JSONValue?
        /// The upstream request bodies of the attempts given up before the
        /// one that answered (a `fallback:` list's), in order.
        public var earlierLegRequestBodies: [JSONValue] = []
        public var clientStatus: Int?
        public var clientResponseBody: JSONValue?
        public var clientEvents: [SSEEvent]?
        /// The upstream request's URL, when it differs from the recorded one.
        public var upstreamURL: String?
        /// The header carrying the upstream request's key (its fingerprint
        /// as recorded), when it differs from the recorded one.
        public var upstreamKeyHeader: (name: String, value: String)?
        /// The client answer's `content-type`, when its media type differs
        /// from the recorded one.
        public var clientContentType: String?

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

    public var matched: Bool { skipped == nil && differences.isEmpty && !incomplete }

    /// Compared with no difference, but recorded only in part.
    public var isIncompleteMatch: Bool { skipped == nil && differences.isEmpty && incomplete }

    /// Why an incomplete exchange is not counted as matched.
    static let incompleteReason =
        "no end line: the recording stops inside this exchange; it matched as far as it goes"

    /// The verdict without today's output, which only `--update` needs.
    var withoutReplayed: ExchangeVerification {
        var result = self
        result.replayed = .init()
        return result
    }

    /// `{"x","file","status":"matched|differs|incomplete|skipped","reason"?,"differences":[...]}`.
    public var json: JSONValue {
        let status =
            skipped != nil ? "skipped" : !differences.isEmpty ? "differs" : incomplete ? "incomplete" : "matched"
        var object: JSONObject = ["x": .string(exchangeID), "file": .string(file), "status": .string(status)]
        if let skipped { object["reason"] = .string(skipped) }
        if isIncompleteMatch { object["reason"] = .string(Self.incompleteReason) }
        object["differences"] = .array(differences.map(\.json))
        return .object(object)
    }
}
