import SSE
import Wire

/// Checks that a sequence of SSE events is a valid OpenAI Responses stream,
/// as the `openai` SDKs read it. Use it wherever a Responses stream is
/// produced: an empty result means valid.
///
/// Rules:
/// - every event has a JSON object payload whose `type` is the event name,
///   and the name is one the Responses API defines;
/// - `sequence_number` is 0, 1, 2, ... in order;
/// - `response.created` comes first, once;
/// - an output item is added (`response.output_item.added`) before any of
///   its events and done once; events name an item by an `item_id` that was
///   added and is not yet done, of the right type, with its `output_index`;
///   `output_index` rises from 0 by one per added item;
/// - a text's or summary's `done` text equals its deltas joined; a function
///   call's `done` arguments equal its deltas joined and parse as JSON;
/// - exactly one terminal event (`response.completed`, `response.incomplete`
///   or `response.failed`) ends the stream, with the matching status;
///   `response.failed` comes right after an `error` event, and an `error`
///   is followed by `response.failed`;
/// - a completed (or incomplete) response has every added item done, and
///   its `output` lists exactly the done items, in order.
public enum OpenAIResponsesStreamChecker {
    public static let eventNames: Set<String> = [
        "response.created", "response.in_progress", "response.output_item.added", "response.output_item.done",
        "response.content_part.added", "response.content_part.done", "response.output_text.delta",
        "response.output_text.done", "response.refusal.delta", "response.refusal.done",
        "response.reasoning_summary_part.added", "response.reasoning_summary_part.done",
        "response.reasoning_summary_text.delta", "response.reasoning_summary_text.done",
        "response.reasoning_text.delta", "response.reasoning_text.done", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.completed", "response.incomplete", "response.failed",
        "error",
    ]

    /// The rules `events` break, each as `event N: ...` (or `end of
    /// stream: ...`), in stream order; empty when the stream is valid.
    public static func violations(in events: [SSEEvent]) -> [String] {
        var state = OpenAIResponsesStreamCheckState()
        for (index, event) in events.enumerated() {
            state.check(event, at: index)
        }
        state.checkEnd()
        return state.violations
    }
}
