import AsyncHTTPClient
import Testing

@testable import Proxy

/// A timeout says which wait ran out: a connection that never came (also
/// a request queued for a pooled one) is not the route's answer timeout.
@Suite struct UpstreamFailureTests {
    @Test(arguments: [HTTPClientError.connectTimeout, .getConnectionFromPoolTimeout])
    func aConnectionThatNeverCameSaysSo(error: HTTPClientError) {
        let failure = UpstreamFailure.apiError(for: error, upstream: "gpt (http://u/v1)", timeout: .seconds(25))
        #expect(failure.status == 504)
        #expect(
            failure.message == "upstream gpt (http://u/v1) timed out: no connection within 10 s", "\(failure.message)")
    }

    @Test(arguments: [HTTPClientError.readTimeout, .deadlineExceeded])
    func anAnswerThatNeverCameNamesTheRoutesTimeout(error: HTTPClientError) {
        let failure = UpstreamFailure.apiError(for: error, upstream: "gpt (http://u/v1)", timeout: .seconds(25))
        #expect(failure.status == 504)
        #expect(failure.message.hasSuffix("no answer within 25 s (the route's timeout)"), "\(failure.message)")
    }
}
