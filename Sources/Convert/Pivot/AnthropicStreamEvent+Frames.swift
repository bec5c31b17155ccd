import SSE
import Wire

extension AnthropicStreamEvent {
    /// Appends the frame an Anthropic client gets (``sseEvent``), its bytes
    /// the same.
    ///
    /// Every event the proxy makes is written straight into the frames'
    /// bytes, its fixed members spelled out and only the values it carries
    /// (a message, a block, a usage) written from their trees (compact JSON
    /// is one line). Built as a ``payload`` tree, serialized, made a
    /// `String` and encoded, a delta cost ~4.6 K instructions, most of a
    /// converted stream's frames for Claude Code (an OpenAI upstream's text
    /// to an Anthropic client); and with the payload tree built and written
    /// whole, the few other events of a stream (its start, its first block's
    /// start, its end) cost ~5.8 K each, 7% of a short converted stream.
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
        case .messageStart(let start):
            frames.append(event: "message_start", reserving: 256) { bytes in
                JSONValue.writeVerbatim(#"{"type":"message_start","message":"#, to: &bytes)
                JSONValue.object(start.message).write(to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
        case .contentBlockStart(let index, let block):
            frames.append(event: "content_block_start", reserving: 128) { bytes in
                JSONValue.writeVerbatim(#"{"type":"content_block_start","index":"#, to: &bytes)
                JSONValue.writeInteger(Int64(index), to: &bytes)
                JSONValue.writeVerbatim(#","content_block":"#, to: &bytes)
                block.json.write(to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
        case .messageDelta(let delta):
            frames.append(event: "message_delta", reserving: 192) { bytes in
                JSONValue.writeVerbatim(#"{"type":"message_delta","delta":{"stop_reason":"#, to: &bytes)
                Self.writeStringOrNull(delta.stopReason, to: &bytes)
                JSONValue.writeVerbatim(#","stop_sequence":"#, to: &bytes)
                Self.writeStringOrNull(delta.stopSequence, to: &bytes)
                JSONValue.writeVerbatim(#"},"usage":"#, to: &bytes)
                JSONValue.object(delta.usage).write(to: &bytes)
                bytes.append(UInt8(ascii: "}"))
            }
        case .messageStop:
            frames.append(event: "message_stop", reserving: 32) {
                JSONValue.writeVerbatim(#"{"type":"message_stop"}"#, to: &$0)
            }
        case .ping:
            frames.append(event: "ping", reserving: 32) { JSONValue.writeVerbatim(#"{"type":"ping"}"#, to: &$0) }
        case .unknown:
            frames.append(sseEvent)
        case .error:
            // Once a stream at most.
            let payload = payload
            frames.append(event: frameName, reserving: 256) { payload.write(to: &$0) }
        }
    }

    private static func writeStringOrNull(_ text: String?, to bytes: inout [UInt8]) {
        if let text { JSONValue.writeString(text, to: &bytes) } else { JSONValue.writeVerbatim("null", to: &bytes) }
    }
}
