import Cassette
import Convert
import Foundation
import Tracing
import Wire

/// The span of one exchange, made when the exchange ends, with the start
/// time it began at: an exchange that is not traced makes no span at all,
/// and one that is holds only this until its end.
///
/// Its attributes follow OpenTelemetry's GenAI semantic conventions
/// (`gen_ai.*`) for a routed exchange, plus HTTP's and the proxy's own
/// (`switchboard.*`). The README's Observability section lists them.
struct ExchangeTrace: Sendable {
    let tracer: any Tracer
    /// The client's trace (`traceparent`), or top level.
    let parent: InstrumentationContext
    let method: String
    let path: String

    /// Makes the span of `exchange`, which has ended, and hands it to the
    /// exporter.
    func end(_ exchange: Exchange, outcome: CassetteOutcome, status: Int?, durationMicros: Int64, usage: JSONValue?) {
        let route = exchange.route
        let generates = route.requestedModel != nil && !path.hasSuffix("/count_tokens")
        let name = generates ? "chat \(route.requestedModel ?? "")" : "\(method) \(path)"
        let start = Self.instant(exchange.startedAtDate, plusMicros: 0)
        let span = tracer.startSpan(name, context: parent, ofKind: .server, at: start)
        var attributes = SpanAttributes()
        attributes["http.method"] = method
        attributes["url.path"] = path
        if let status { attributes["http.response.status_code"] = status }
        attributes["switchboard.request_id"] = exchange.id
        attributes["switchboard.client_dialect"] = exchange.clientDialect.rawValue
        if let routeID = route.routeID { attributes["switchboard.route"] = routeID }
        if generates {
            attributes["gen_ai.operation.name"] = "chat"
            if let format = route.format {
                attributes["gen_ai.provider.name"] = Self.providerName(format)
                attributes["gen_ai.system"] = Self.providerName(format)
            }
            attributes["gen_ai.request.model"] = route.requestedModel
            if let model = route.upstreamModel { attributes["gen_ai.response.model"] = model }
            if let input = usage?["input_tokens"]?.intValue { attributes["gen_ai.usage.input_tokens"] = input }
            if let output = usage?["output_tokens"]?.intValue { attributes["gen_ai.usage.output_tokens"] = output }
            let reasons = exchange.finishReasons
            if !reasons.isEmpty { attributes["gen_ai.response.finish_reasons"] = reasons }
        }
        if outcome != .ok {
            let error = outcome == .clientCancelled ? ExchangeCancellation.clientGoneError : exchange.firstError
            attributes["error.type"] = error?.type ?? "_OTHER"
            span.setStatus(SpanStatus(code: .error, message: error?.message))
        }
        span.attributes = attributes
        span.end(at: Self.instant(exchange.startedAtDate, plusMicros: durationMicros))
    }

    /// `gen_ai.provider.name` for an upstream format: the well-known values
    /// of the conventions.
    static func providerName(_ format: Dialect) -> String {
        switch format {
        case .anthropic: "anthropic"
        case .openai, .openaiResponses: "openai"
        case .gemini: "gcp.gemini"
        }
    }

    private static func instant(_ date: Date, plusMicros micros: Int64) -> DefaultTracerClock.Timestamp {
        let nanos = UInt64(max(0, date.timeIntervalSince1970 * 1e9)) + UInt64(max(0, micros)) * 1000
        return DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: nanos)
    }
}
