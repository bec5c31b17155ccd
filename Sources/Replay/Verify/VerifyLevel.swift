/// How strictly `log-replay verify` compares today's output with the recording.
public enum VerifyLevel: String, Sendable, CaseIterable {
    /// Exact bytes: bodies as serialized, frames as encoded.
    case bytes
    /// SSE event names in order and JSON equal with key order ignored; how
    /// the bytes were split into chunks does not matter. The default.
    case events
    /// Streams folded into the message they describe: text deltas merged,
    /// tool-call JSON reassembled, usage totals; how the story was split
    /// into events does not matter either.
    case semantic
}
