import SSE
import Wire

extension UpstreamStreamConverter {
    /// An Anthropic upstream's frames: as they are for an Anthropic client,
    /// else read into pivot events for the client's encoder. A frame that
    /// is not JSON ends the stream with an error there, as it does for the
    /// other upstream formats: skipping it could cut a tool call's
    /// arguments short in a stream that then finishes as if whole.
    /// - Parameter payload: the single frame's payload when the relay
    ///   already parsed it.
    mutating func relayed(
        _ frame: SSERawEvent, from relay: inout AnthropicStreamRelay, payload: JSONValue? = nil,
        into output: inout SSEFrames
    ) {
        // The relay's error is set only as it ends: not copied out before.
        if relay.hasEnded, reportedError == nil, let error = relay.error { reportedError = error }
        guard !writesAnthropic else { return output.append(frame) }
        // Most frames are content, read from their bytes with no JSON tree
        // and so tried first (a frame whose name is not the type read is
        // left to the rest). No client encoder writes anything for a ping,
        // and a stop has nothing to read: neither is parsed (nor is either
        // for an Anthropic client, which gets them as they came).
        let event: AnthropicStreamEvent
        if payload == nil, let read = AnthropicFrameReader.event(frame.data), frame.event == read.name {
            event = read
        } else if frame.event == "ping" {
            return
        } else if frame.event == "error", let error = relay.error {
            event = .error(error)
        } else if frame.event == "message_stop" {
            event = .messageStop
        } else if var parsed = payload ?? (try? JSONValue(parsing: frame.data)) {
            // The event name decides, as for Anthropic's SDKs and the relay (a `message_stop` whose payload
            // lost its `type` still ends the stream; the client's terminator must follow).
            if let name = frame.event, parsed["type"]?.stringValue != name, case .object(var object) = parsed {
                object["type"] = .string(name)
                parsed = .object(object)
            }
            event = AnthropicStreamEvent(payload: parsed)
        } else if String(decoding: frame.data, as: UTF8.self).trimmingWhitespace().isEmpty {
            return
        } else {
            let failure = Self.invalidJSON(String(decoding: frame.data, as: UTF8.self), upstreamName: upstreamName)
            _ = relay.finish(error: failure)
            if reportedError == nil { reportedError = failure }
            return write(.error(failure), into: &output)
        }
        write(event, into: &output)
    }
}
