import SSE
import Wire

extension AnthropicStreamEvent {
    /// Appends the frame an Anthropic client gets (``sseEvent``), its bytes
    /// the same.
    ///
    /// Most of a stream is `content_block_delta` and `content_block_stop`:
    /// those are written straight into the frames' bytes. Built as a
    /// ``payload`` tree, serialized, made a `String` and encoded, a delta
    /// cost ~4.6 K instructions, most of a converted stream's frames for
    /// Claude Code (an OpenAI upstream's text to an Anthropic client). The
    /// other events, a few a stream, have their payload tree written
    /// straight into the frames' bytes (compact JSON is one line): made a
    /// `String` first and encoded, they cost as much as all the deltas of a
    /// short stream.
    public func appendFrame(to frames: inout SSEFrames) {
        switch self {
        case .contentBlockDelta(let index, let delta):
            guard let member = delta.textMember else {
                frames.append(sseEvent)
                return
            }
            frames.append(event: "content_block_delta", reserving: member.value.utf8.count + 96) { bytes in
                JSONValue.writeVerbatim(#"{"type":"content_block_delta","index":"#, to: &bytes)
                JSONValue.writeInteger(Int64(index), to: &bytes)
                JSONValue.writeVerbatim(#","delta":{"type":""#, to: &bytes)
                JSONValue.writeVerbatim(member.type, to: &bytes)
                JSONValue.writeVerbatim(#"",""#, to: &bytes)
                JSONValue.writeVerbatim(member.key, to: &bytes)
                JSONValue.writeVerbatim(#"":"#, to: &bytes)
                JSONValue.writeString(member.value, to: &bytes)
                JSONValue.writeVerbatim("}}", to: &bytes)
            }
        case .contentBlockStop(let index):
            frames.append(event: "content_block_stop", reserving: 64) { bytes in
                JSONValue.writeVerbatim(#"{"type":"content_block_stop","index":"#, to: &bytes)
                JSONValue.writeInteger(Int64(index), to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
        case .unknown:
            frames.append(sseEvent)
        case .messageStart, .contentBlockStart, .messageDelta, .messageStop, .ping, .error:
            let payload = payload
            frames.append(event: frameName, reserving: 256) { payload.write(to: &$0) }
        }
    }
}
