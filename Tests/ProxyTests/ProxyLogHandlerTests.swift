import Logging
import Testing

@testable import Proxy

#if canImport(Glibc)
import Glibc
#endif

/// `proxy serve`'s log lines: `StreamLogHandler`'s format, metadata rendered
/// when a line is written.
struct ProxyLogHandlerTests {
    /// Hummingbird's `hb.request.id` is left out: `request_id` names the request.
    @Test func aLineCarriesTimeLevelLabelSortedMetadataSourceAndMessage() throws {
        let text = try LogPipe.drained { output in
            var logger = Logger(label: "switchboard.proxy") {
                ProxyLogHandler(label: $0, level: .info, output: output)
            }
            logger[metadataKey: "request_id"] = "req_1"
            logger[metadataKey: "hb.request.id"] = "42"
            logger[metadataKey: "attempt"] = .stringConvertible(2)
            logger[metadataKey: "tags"] = ["a", "b"]
            logger.info("POST /v1/messages 200", metadata: ["extra": "yes"])
            logger.debug("below the level: not written")
        }
        let pattern =
            /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} info switchboard\.proxy: attempt=2 extra=yes request_id=req_1 tags=\["a", "b"\] \[ProxyTests\] POST \/v1\/messages 200\n/
        #expect(text.wholeMatch(of: pattern) != nil, "\(text)")
    }

    @Test func anErrorLineIsWrittenAtOnceOffTheEventLoops() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        // A batch delay longer than the test: only the error's own flush
        // can write it in time.
        let output = LogLineWriter(fileDescriptor: ends[1], batchDelayMicros: 60_000_000)
        let logger = Logger(label: "t") { ProxyLogHandler(label: $0, level: .info, output: output) }
        logger.error("about to stop")
        var entry = pollfd(fd: ends[0], events: Int16(POLLIN), revents: 0)
        #expect(poll(&entry, 1, 2_000) == 1, "the error line waited for the batch")
        output.close()
        close(ends[1])
    }

    /// Hummingbird's server cancelled on purpose (SIGQUIT) is no error.
    @Test func theServersOwnCancellationIsWrittenAtDebug() throws {
        let quiet = try LogPipe.drained { output in
            let logger = Logger(label: "p") { ProxyLogHandler(label: $0, level: .info, output: output) }
            logger.error("Waiting on child channel: CancellationError()", source: "HummingbirdCore")
            logger.error("Server shutdown error: Already closed", source: "HummingbirdCore")
            logger.error("Waiting on child channel: CancellationError()", source: "Proxy")
        }
        #expect(quiet.hasSuffix(" error p: [Proxy] Waiting on child channel: CancellationError()\n"), "\(quiet)")
        #expect(quiet.split(separator: "\n").count == 1, "\(quiet)")
        let debug = try LogPipe.drained { output in
            let logger = Logger(label: "p") { ProxyLogHandler(label: $0, level: .debug, output: output) }
            logger.error("Server shutdown error: Already closed", source: "HummingbirdCore")
        }
        #expect(debug.hasSuffix(" debug p: [HummingbirdCore] Server shutdown error: Already closed\n"), "\(debug)")
    }

    @Test func anErrorIsNamedInTheMetadata() throws {
        struct Broken: Error, CustomStringConvertible { var description: String { "broken pipe" } }
        let text = try LogPipe.drained { output in
            let logger = Logger(label: "") { ProxyLogHandler(label: $0, level: .trace, output: output) }
            logger.error("failed", error: Broken())
        }
        #expect(text.contains(" error: error.message=broken pipe error.type=ProxyTests."), "\(text)")
        #expect(text.hasSuffix("Broken [ProxyTests] failed\n"), "\(text)")
    }
}
