import AsyncHTTPClient
import Testing

@testable import Proxy

/// A timeout says which wait ran out: a connection that never came is not
/// the route's answer timeout.
@Suite struct UpstreamFailureTests {
    @Test func aConnectionThatNeverCameSaysSo() {
        let failure = UpstreamFailure.apiError(
            for: HTTPClientError.connectTimeout, upstream: "gpt (http://u/v1)", timeout: .seconds(25))
        #expect(failure.status == 504)
        #expect(
            failure.message == "upstream gpt (http://u/v1) timed out: no connection within 10 s", "\(failure.message)")
    }

    @Test func anAnswerThatNeverCameNamesTheRoutesTimeout() {
        let failure = UpstreamFailure.apiError(
            for: HTTPClientError.readTimeout, upstream: "gpt (http://u/v1)", timeout: .seconds(25))
        #expect(failure.status == 504)
        #expect(failure.message.hasSuffix("no answer within 25 s (the route's timeout)"), "\(failure.message)")
    }
}
