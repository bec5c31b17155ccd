import Cassette
import Replay
import Wire

/// An exchange of one hand-written `client_request` line, as an edited
/// cassette may hold: what re-sending (``ReplaySender``) and exporting
/// (``CurlExport``) read of a recorded request, without a whole session.
enum RecordedRequest {
    /// A POST to `path` (with `query`, when given) carrying `headers` as
    /// recorded (fingerprints in place of secrets) and `body`.
    static func exchange(
        id: String, path: String, query: String? = nil, headers: JSONValue, body: JSONValue = [:]
    ) -> Exchange {
        var fields: JSONObject = ["method": "POST", "path": .string(path)]
        if let query { fields["query"] = .string(query) }
        fields["headers"] = headers
        fields["body"] = body
        return Exchange(
            id: id, file: "\(id).jsonl",
            events: [CassetteEvent(.clientRequest, exchange: id, timeMicros: 0, fields: fields)])
    }
}
