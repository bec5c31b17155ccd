import Wire

// The steps every non-Anthropic dialect's response conversion takes the same
// way, kept here so the error mapping and the message shape cannot drift
// apart between dialects.
extension ResponseConverter {
    /// Throws unless `upstreamBody` is a JSON object without a non-null
    /// `error`; a 200 carrying an error is mapped as a 502 in the client's
    /// shape, its message saying the upstream answered 200 (it once said
    /// "returned HTTP 502", which no upstream had).
    ///
    /// - Parameter errorDocument: the document handed to the error mapper,
    ///   built from the `error` value.
    static func requireSuccessObject(
        _ upstreamBody: JSONValue, route: RouteOptions, dialect: Dialect,
        errorDocument: (_ error: JSONValue) -> JSONValue
    ) throws(APIError) {
        guard case .object = upstreamBody else {
            throw unexpectedBody(route: route, reason: "not a JSON object")
        }
        if let error = upstreamBody["error"], !error.isNull {
            throw UpstreamErrorMapper.map(
                status: 200, body: errorDocument(error).serialized(), retryAfter: nil, upstream: route.modelID,
                dialect: dialect)
        }
    }

    /// An Anthropic `message` body; `stopSequence` nil is sent as `null`.
    static func messageBody(
        id: String, model: String, content: [JSONValue], stopReason: String, stopSequence: String?,
        usage: JSONObject
    ) -> JSONValue {
        [
            "id": .string(id),
            "type": "message",
            "role": "assistant",
            "model": .string(model),
            "content": .array(content),
            "stop_reason": .string(stopReason),
            "stop_sequence": stopSequence.map { .string($0) } ?? .null,
            "usage": .object(usage),
        ]
    }
}
