import HTTPTypes
import Tracing

/// Reads trace context headers (`traceparent`, `tracestate`, `baggage`)
/// from a request's head.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from carrier: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key) else { return nil }
        return carrier[name]
    }
}
