import SSE

/// The upstream's events that came after the client's stream had ended
/// (after `[DONE]`, `message_stop`, a terminal `response.*` event), which
/// the client does not get: its stream was complete, and its SDK may have
/// stopped reading or would take them for more of the answer. Counted, with
/// the first kept, for one note in the log and the cassette.
struct EventsAfterEnd: Sendable {
    private var count = 0
    private var first: [UInt8] = []

    mutating func drop(_ event: SSERawEvent) {
        if count == 0 { first = Array(event.data.prefix(200)) }
        count += 1
    }

    /// The note for the events dropped since the last one, if any.
    mutating func takeNote() -> ConversionDiagnostic? {
        guard count > 0 else { return nil }
        let events = count == 1 ? "1 more event" : "\(count) more events"
        let note = ConversionDiagnostic(
            severity: .info, path: "",
            message: "after the stream's end: the upstream sent \(events), not relayed; the first: "
                + String(decoding: first, as: UTF8.self))
        self = EventsAfterEnd()
        return note
    }
}
