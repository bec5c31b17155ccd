import SSE
import Wire

/// Why an answer stopped (`gen_ai.response.finish_reasons`), read from what
/// the client was sent, in whichever dialect it speaks: Anthropic's
/// `stop_reason` (`delta.stop_reason` in a stream), OpenAI's
/// `choices[].finish_reason`, Gemini's `candidates[].finishReason`, and an
/// OpenAI Responses object's `incomplete_details.reason` or `status`. Read
/// only when the exchange is traced.
enum FinishReasons {
    static func find(in body: JSONValue) -> [String] {
        if let reason = body["stop_reason"]?.stringValue ?? body["delta"]?["stop_reason"]?.stringValue {
            return [reason]
        }
        if let choices = body["choices"]?.arrayValue {
            return choices.compactMap { $0["finish_reason"]?.stringValue }
        }
        if let candidates = body["candidates"]?.arrayValue {
            return candidates.compactMap { $0["finishReason"]?.stringValue }
        }
        let response = body["response"] ?? body
        if response["object"]?.stringValue == "response" {
            let reason = response["incomplete_details"]?["reason"]?.stringValue ?? response["status"]?.stringValue
            return reason.map { [$0] } ?? []
        }
        return []
    }

    /// The reasons in a stream's frames; only frames that may carry one are
    /// parsed.
    static func find(in events: [SSEEvent]) -> [String] {
        var reasons: [String] = []
        for event in events where mayCarryReason(event) {
            guard let payload = try? JSONValue(parsing: event.data) else { continue }
            reasons += find(in: payload)
        }
        return reasons
    }

    private static func mayCarryReason(_ event: SSEEvent) -> Bool {
        event.dataMentions("stop_reason") || event.dataMentions("finish_reason") || event.dataMentions("finishReason")
            || event.event == "response.completed" || event.event == "response.incomplete"
    }
}
