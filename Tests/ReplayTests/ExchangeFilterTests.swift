import Foundation
import Replay
import Testing

@Suite struct ExchangeFilterTests {
    func ids(_ filter: ExchangeFilter) throws -> Set<String> {
        Set(try RecordedSession.exchanges().filter(filter.matches).map(\.id))
    }

    @Test func errorsOnlyFindsExactlyTheFourFailures() throws {
        #expect(try ids(ExchangeFilter(errorsOnly: true)) == RecordedSession.failures)
    }

    @Test func requestID() throws {
        #expect(try ids(ExchangeFilter(requestID: RecordedSession.cutStream)) == [RecordedSession.cutStream])
        #expect(try ids(ExchangeFilter(requestID: "nope")).isEmpty)
    }

    @Test func endpointExactAndGlob() throws {
        #expect(try ids(ExchangeFilter(endpoint: "/v1/models")) == [RecordedSession.models])
        #expect(try ids(ExchangeFilter(endpoint: "/v1/*")).count == 7)
        #expect(try ids(ExchangeFilter(endpoint: "/v1/messages")).count == 6)
    }

    @Test func modelExactAndGlob() throws {
        #expect(try ids(ExchangeFilter(model: "claude-haiku-4-5")) == [RecordedSession.okPlain])
        #expect(
            try ids(ExchangeFilter(model: "claude-*-4-5"))
                == [
                    RecordedSession.okStream, RecordedSession.okPlain, RecordedSession.rateLimited,
                    RecordedSession.cutStream,
                ])
    }

    @Test func statusExactAndClass() throws {
        #expect(try ids(ExchangeFilter(status: "429")) == [RecordedSession.rateLimited])
        #expect(try ids(ExchangeFilter(status: "5xx")) == [RecordedSession.refused])
        #expect(try ids(ExchangeFilter(status: "4xx")) == [RecordedSession.rateLimited, RecordedSession.badRequest])
    }

    @Test func sinceAbsoluteAndRelative() throws {
        let since = try #require(ReplayTime.parseSince("2026-11-21T08:30:00Z"))
        #expect(
            try ids(ExchangeFilter(since: since))
                == [RecordedSession.cutStream, RecordedSession.badRequest, RecordedSession.models])
        let now = try #require(ReplayTime.parseISO8601("2026-11-21T08:45:00Z"))
        let tenMinutesAgo = try #require(ReplayTime.parseSince("10m", now: now))
        #expect(try ids(ExchangeFilter(since: tenMinutesAgo)) == [RecordedSession.badRequest, RecordedSession.models])
        #expect(ReplayTime.parseSince("2h", now: now) == now.addingTimeInterval(-7200))
        #expect(ReplayTime.parseSince("yesterday") == nil)
    }

    @Test func filtersCombine() throws {
        #expect(
            try ids(ExchangeFilter(errorsOnly: true, model: "claude-sonnet-4-5")) == [
                RecordedSession.rateLimited, RecordedSession.cutStream,
            ])
        #expect(
            try ids(ExchangeFilter(errorsOnly: true, model: "claude-sonnet-4-5", status: "200")) == [
                RecordedSession.cutStream
            ])
        let since = try #require(ReplayTime.parseISO8601("2026-11-21T08:15:00Z"))
        #expect(
            try ids(ExchangeFilter(errorsOnly: true, endpoint: "/v1/messages", status: "5xx", since: since))
                == [RecordedSession.refused])
        #expect(try ids(ExchangeFilter(errorsOnly: true, requestID: RecordedSession.okStream)).isEmpty)
    }
}
