import HTTPTypes
import Tracing

/// Reads trace context headers (`traceparent`, `tracestate`, `baggage`)
/// from a request's head.
///
/// A value that is not printable ASCII (or a tab, which may sit around a
/// list's members), which none of the three may hold, is not read: the trace-context parser indexes a `tracestate` by
/// Characters and bytes at once, and a long one with combining marks
/// trapped it, so one request with tracing on took the proxy down.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key), let value = carrier[name],
            value.utf8.allSatisfy({ (0x20..<0x7F).contains($0) || $0 == 0x09 })
        else { return nil }
        return value
    }
}
