import Cassette
import Foundation
import Wire

/// What the summary, the filters and the exports ask of an exchange, read off
/// its lines with the fallbacks a partial exchange needs.
extension Exchange {
    /// The client's method, `GET` when unknown.
    public var method: String { clientRequest?["method"]?.stringValue ?? "GET" }

    /// The client's path without its query, e.g. `/v1/messages`.
    public var endpoint: String? {
        guard let path = clientRequest?["path"]?.stringValue else { return nil }
        return path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
    }

    /// The client's query string without `?`, from `query` or from a path
    /// that still carries it.
    public var query: String? {
        if let query = clientRequest?["query"]?.stringValue, !query.isEmpty { return query }
        guard let path = clientRequest?["path"]?.stringValue, let mark = path.firstIndex(of: "?") else { return nil }
        let query = path[path.index(after: mark)...]
        return query.isEmpty ? nil : String(query)
    }

    /// The model the client asked for.
    public var model: String? {
        route?["requested_model"]?.stringValue ?? clientRequest?["body"]?["model"]?.stringValue
    }

    /// The upstream whose answer the client got (its api_base): the last
    /// leg's, a fallback's when the route used its `fallback:` list.
    public var upstream: String? { legs.last?.route?["upstream"]?.stringValue }

    /// The route entries tried, for an exchange that used its `fallback:`
    /// list: `main 429 -> backup`, each entry given up with its upstream's
    /// status (`unreachable` when none came), as the access line says it;
    /// nil for one leg.
    public var fallbackPath: String? {
        guard legs.count > 1 else { return nil }
        var path = ""
        for (index, leg) in legs.enumerated() {
            path += leg.route?["model_id"]?.stringValue ?? "-"
            guard index + 1 < legs.count else { break }
            let status = legs[index + 1].route?["fallback"]?["status"]?.intValue
            path += " \(status.map(String.init) ?? "unreachable") -> "
        }
        return path
    }

    /// The status the client got: the response head, else the `end` line,
    /// else the status of the error that ended the exchange.
    public var status: Int? {
        clientResponse?["status"]?.intValue ?? end?["status"]?.intValue
            ?? errors.lazy.compactMap { $0["status"]?.intValue }.first
    }

    /// True when the client stopped sending its request's body and the
    /// proxy let it go after `--header-timeout` (an `error` at stage
    /// `client` with status 408, before any route): the client was sent
    /// nothing, and the recorded body is what had come, if anything.
    /// (A 408 after the route is a client that stopped reading its answer.)
    public var clientStalledInBody: Bool {
        legs.allSatisfy { $0.route == nil } && clientResponse == nil
            && errors.contains { $0.stage == .client && $0["status"]?.intValue == 408 }
    }

    /// True when the client got an SSE stream.
    public var isStreaming: Bool {
        !clientEvents.isEmpty || clientRequest?["body"]?["stream"]?.boolValue == true
    }

    /// True when a stream the client got carried an `error` event.
    public var streamEndedWithError: Bool {
        clientEvents.contains { $0["event"]?.stringValue == "error" }
    }

    /// True when the exchange has no `end` line: the proxy was killed
    /// mid-exchange (or is still answering), and the client got at most
    /// what was recorded.
    public var isIncomplete: Bool { end == nil }

    /// The `--errors-only` test: client status >= 400, any error line, a
    /// stream that carried an error event, or no `end` line (a client cut
    /// off by a crash got a truncated answer, whatever its status said).
    public var isFailure: Bool {
        (status ?? 0) >= 400 || !errors.isEmpty || streamEndedWithError || isIncomplete
    }

    /// Total duration: the `end` line's, else the last line's offset.
    public var durationMicros: Int64? {
        end?["duration_us"]?.intValue.map(Int64.init) ?? events.last?.timeMicros
    }

    /// Time to the first byte sent to the client, from the `end` line.
    public var timeToFirstByteMicros: Int64? { end?["ttfb_us"]?.intValue.map(Int64.init) }

    /// The `end` line's usage object.
    public var usage: JSONObject? { end?["usage"]?.objectValue }

    /// Events the recorder had to drop before this exchange ended.
    public var droppedEvents: Int { end?["dropped_events"]?.intValue ?? 0 }

    /// When the exchange began: the request line's `started`, else the
    /// cassette's start. Nil when neither is a readable ISO 8601 time.
    public var startDate: Date? {
        let text = clientRequest?["started"]?.stringValue ?? cassetteStarted
        return text.flatMap(ReplayTime.parseISO8601)
    }
}

extension Exchange {
    /// The client request's body bytes, as the client sent them.
    public var requestBodyBytes: [UInt8]? { clientRequest?.bodyBytes }

    /// The client response's body bytes when it was not streamed.
    public var responseBodyBytes: [UInt8]? { clientResponse?.bodyBytes }

    /// The SSE bytes the client received, re-encoded from the recorded frames.
    public var clientStreamBytes: [UInt8] {
        var bytes: [UInt8] = []
        for event in clientEvents { event.sseEvent?.encode(into: &bytes) }
        return bytes
    }

    /// The recorded request headers as name/value pairs, in order.
    public var requestHeaders: [(name: String, value: String)] { clientRequest?.headerPairs ?? [] }

    /// The recorded response headers as name/value pairs, in order.
    public var responseHeaders: [(name: String, value: String)] { clientResponse?.headerPairs ?? [] }
}
