import HTTPTypes
import Testing

@testable import Proxy

/// Trace context headers are read only when they are printable ASCII, as
/// W3C has them: a long `tracestate` with combining marks trapped the
/// trace-context parser.
@Suite struct HTTPFieldsExtractorTests {
    static let traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"

    @Test func asciiValuesAreRead() {
        var fields = HTTPFields()
        fields[HTTPField.Name("traceparent")!] = Self.traceparent
        fields[HTTPField.Name("tracestate")!] = "rojo=00f067aa0ba902b7,\tcongo=t61rcWkgMzE"
        #expect(HTTPFieldsExtractor().extract(key: "traceparent", from: fields) == Self.traceparent)
        #expect(
            HTTPFieldsExtractor().extract(key: "tracestate", from: fields)
                == "rojo=00f067aa0ba902b7,\tcongo=t61rcWkgMzE")
        #expect(HTTPFieldsExtractor().extract(key: "baggage", from: fields) == nil)
    }

    @Test func aValueWithOtherBytesIsNotRead() {
        var fields = HTTPFields()
        fields[HTTPField.Name("traceparent")!] = Self.traceparent
        fields[HTTPField.Name("tracestate")!] = String(repeating: "a\u{332}", count: 100) + "=1"
        #expect(HTTPFieldsExtractor().extract(key: "tracestate", from: fields) == nil)
        #expect(HTTPFieldsExtractor().extract(key: "traceparent", from: fields) == Self.traceparent)
    }
}
