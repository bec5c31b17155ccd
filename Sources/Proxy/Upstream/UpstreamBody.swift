import NIOCore

/// An upstream response's body as its reader sees it: chunks as they come,
/// with backpressure. The connection reads from the socket only while the
/// reader has fewer than ``highWatermark`` chunks waiting, so a slow client
/// slows the upstream instead of filling the proxy's memory.
typealias UpstreamBody = NIOThrowingAsyncSequenceProducer<
    ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, UpstreamBodyDemand
>

/// Tells the connection's handler what the body's reader wants: more (read
/// again), or nothing more (it stopped before the end: close).
struct UpstreamBodyDemand: NIOAsyncSequenceProducerDelegate {
    let handler: NIOLoopBound<UpstreamConnectionHandler>
    let request: UpstreamConnectionHandler.Request

    /// Chunks buffered for the reader before the connection stops reading,
    /// and the count under which it reads again.
    static let highWatermark = 8
    static let lowWatermark = 2

    func produceMore() {
        let handler = self.handler
        let request = self.request
        handler.eventLoop.execute { handler.value.readMore(request) }
    }

    func didTerminate() {
        let handler = self.handler
        let request = self.request
        handler.eventLoop.execute { handler.value.readerGone(request) }
    }
}
