import Cassette
import Logging
import Wire

/// One line per exchange when it ends, as web servers write, so a user sees
/// each request without recording:
///
///     POST /v1/chat/completions openai claude-sonnet-4-5 -> main 200 in 1843 ms (first byte 212 ms), tokens in 5120 out 310 cached 4096
///
/// The route is the entry that answered, with how it was chosen when not
/// by model name alone: `-> backup (think, after main 429)`.
///
/// An exchange that failed says why at the end of its line (`: type:
/// message`), at `warning` when the proxy or the upstream failed (5xx, or an
/// error inside a stream). The logger carries the request id as metadata.
struct ExchangeAccessLog: Sendable {
    let method: String
    let path: String
    let logger: Logger

    func log(_ exchange: Exchange, outcome: CassetteOutcome, status: Int?, durationMicros: Int64, usage: JSONValue?) {
        let error = outcome == .clientCancelled ? nil : exchange.firstError
        let level: Logger.Level = (error?.status ?? 0) >= 500 || (error != nil && status == 200) ? .warning : .info
        guard logger.logLevel <= level else { return }
        var text = line(exchange, outcome: outcome, status: status, durationMicros: durationMicros, usage: usage)
        if let error { text += ": \(error.type): \(error.message)" }
        logger.log(level: level, "\(text)")
    }

    func line(
        _ exchange: Exchange, outcome: CassetteOutcome, status: Int?, durationMicros: Int64, usage: JSONValue?
    ) -> String {
        var line = "\(method) \(path) \(exchange.clientDialect.rawValue)"
        let route = exchange.route
        if let model = route.requestedModel { line += " \(model)" }
        if let routeID = route.routeID { line += " -> \(routeID)" }
        if let note = exchange.routeNote { line += " (\(note))" }
        switch outcome {
        case .clientCancelled: line += " client gone"
        default: line += status.map { " \($0)" } ?? ""
        }
        line += " in \(Self.milliseconds(durationMicros))"
        if let firstByte = exchange.firstByteMicros { line += " (first byte \(Self.milliseconds(firstByte)))" }
        if let usage, let tokens = Self.tokens(usage) { line += ", tokens \(tokens)" }
        return line
    }

    private static func milliseconds(_ micros: Int64) -> String {
        micros < 10_000 ? "\(Double(micros / 100) / 10) ms" : "\(micros / 1000) ms"
    }

    /// `in N out M cached K` from an Anthropic usage object.
    private static func tokens(_ usage: JSONValue) -> String? {
        let input = usage["input_tokens"]?.intValue
        let output = usage["output_tokens"]?.intValue
        guard input != nil || output != nil else { return nil }
        var text = "in \(input ?? 0) out \(output ?? 0)"
        if let cached = usage["cache_read_input_tokens"]?.intValue, cached > 0 { text += " cached \(cached)" }
        return text
    }
}
