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
        // Built as bytes: as a String, its appends cost ~440 instructions
        // each, 7 K a request.
        var line: [UInt8] = []
        line.reserveCapacity(160)
        func add(_ text: String) { line.append(contentsOf: text.utf8) }
        add(method)
        line.append(UInt8(ascii: " "))
        add(path)
        line.append(UInt8(ascii: " "))
        add(exchange.clientDialect.rawValue)
        let route = exchange.route
        if let model = route.requestedModel {
            line.append(UInt8(ascii: " "))
            add(model)
        }
        if let routeID = route.routeID {
            add(" -> ")
            add(routeID)
        }
        if let note = exchange.routeNote {
            add(" (")
            add(note)
            line.append(UInt8(ascii: ")"))
        }
        switch outcome {
        case .clientCancelled:
            add(" client gone")
        default:
            if let status {
                line.append(UInt8(ascii: " "))
                JSONValue.writeInteger(Int64(status), to: &line)
            }
        }
        add(" in ")
        Self.appendMilliseconds(durationMicros, to: &line)
        if let firstByte = exchange.firstByteMicros {
            add(" (first byte ")
            Self.appendMilliseconds(firstByte, to: &line)
            line.append(UInt8(ascii: ")"))
        }
        if let usage { Self.appendTokens(usage, to: &line) }
        return String(decoding: line, as: UTF8.self)
    }

    /// `1.8 ms` under 10 ms (tenths, by integer arithmetic: formatting a
    /// Double cost 1.2 K instructions), else `1843 ms`.
    private static func appendMilliseconds(_ micros: Int64, to line: inout [UInt8]) {
        if micros < 10_000 {
            let tenths = micros / 100
            JSONValue.writeInteger(tenths / 10, to: &line)
            line.append(UInt8(ascii: "."))
            line.append(UInt8(ascii: "0") + UInt8(tenths % 10))
        } else {
            JSONValue.writeInteger(micros / 1000, to: &line)
        }
        line.append(contentsOf: " ms".utf8)
    }

    /// `, tokens in N out M cached K` from an Anthropic usage object, as
    /// bytes (the interpolated String cost 1.5 K instructions a line).
    private static func appendTokens(_ usage: JSONValue, to line: inout [UInt8]) {
        let input = usage["input_tokens"]?.intValue
        let output = usage["output_tokens"]?.intValue
        guard input != nil || output != nil else { return }
        line.append(contentsOf: ", tokens in ".utf8)
        JSONValue.writeInteger(Int64(input ?? 0), to: &line)
        line.append(contentsOf: " out ".utf8)
        JSONValue.writeInteger(Int64(output ?? 0), to: &line)
        if let cached = usage["cache_read_input_tokens"]?.intValue, cached > 0 {
            line.append(contentsOf: " cached ".utf8)
            JSONValue.writeInteger(Int64(cached), to: &line)
        }
    }
}
