/// A rotated cassette file that still takes the lines of the exchanges
/// begun in it, so that each exchange stays whole in one file.
///
/// Exchanges interleave: when a file reaches its size limit, some of its
/// exchanges are still streaming. Their later lines (the answer, the `end`
/// line) go on going to this file, while new exchanges go to the next one;
/// the file is ended once its last open exchange has ended.
final class DrainingCassetteFile {
    let sink: any CassetteSink
    /// The blobs this file holds, which its later request bodies refer to.
    var blobs: CassetteBlobs
    /// The exchanges begun here (by their `client_request` line) that have
    /// not ended yet.
    var openExchanges: Set<String>

    init(sink: any CassetteSink, blobs: CassetteBlobs, openExchanges: Set<String>) {
        self.sink = sink
        self.blobs = blobs
        self.openExchanges = openExchanges
    }
}
