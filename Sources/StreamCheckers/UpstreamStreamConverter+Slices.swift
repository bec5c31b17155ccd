import Convert
import SSE

extension UpstreamStreamConverter {
    /// Feeds raw upstream bytes cut as ``ByteSlices`` cuts them (whole when
    /// `sliceSizes` is empty), then finishes with `error`: every frame the
    /// client gets. A stream must convert the same however the network cut
    /// it, so tests and the fuzzer compare slicings with it.
    public mutating func convert(_ bytes: [UInt8], sliceSizes: [Int] = [], error: APIError? = nil) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for slice in ByteSlices(bytes, sizes: sliceSizes) { events += receive(slice) }
        return events + finish(error: error)
    }
}
