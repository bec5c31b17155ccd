import SSE

/// The upstream's events that came after the client's stream had ended
/// (after `[DONE]`, `message_stop`, a terminal `response.*` event, an
/// error; between a Responses error and its `response.failed`), which
/// the client does not get: its stream was complete, and its SDK may have
/// stopped reading or would take them for more of the answer. Counted, with
/// the first one's name, for one note in the log and the cassette. Their
/// data is not quoted: it can quote the key the proxy sent (an error after
/// `[DONE]`), and the note is not scrubbed; the chunks that held them are
/// in the cassette, scrubbed.
struct EventsAfterEnd: Sendable {
    private var count = 0
    private var firstName: String?
    /// Whether any event was dropped, noted or not.
    private(set) var droppedAny = false

    mutating func drop(_ event: SSERawEvent) {
        if count == 0 { firstName = event.event.map { String($0.prefix(64)) } }
        count += 1
        droppedAny = true
    }

    /// The note for the events dropped since the last one, if any.
    mutating func takeNote() -> ConversionDiagnostic? {
        guard count > 0 else { return nil }
        let events = count == 1 ? "1 more event" : "\(count) more events"
        let note = ConversionDiagnostic(
            severity: .info, path: "",
            message: "after the stream's end: the upstream sent \(events), not relayed"
                + (firstName.map { "; the first: `\($0)`" } ?? ""))
        count = 0
        firstName = nil
        return note
    }
}
