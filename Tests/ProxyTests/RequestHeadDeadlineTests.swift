import NIOCore
import Testing

@testable import Proxy

/// The slow-head guard's one timer: scheduled once, moved by deadline,
/// closing only when a deadline passes with no head.
@Suite struct RequestHeadDeadlineTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func theFirstStartSchedulesAndLaterOnesOnlyMoveTheDeadline() {
        var deadline = RequestHeadDeadline(timeout: .seconds(60))
        #expect(deadline.start(now: start) == start + .seconds(60))
        deadline.clear()
        #expect(deadline.start(now: start + .seconds(10)) == nil)
        #expect(deadline.deadline == start + .seconds(70))
    }

    @Test func aTimerFiringBeforeTheMovedDeadlineIsScheduledForIt() {
        var deadline = RequestHeadDeadline(timeout: .seconds(60))
        _ = deadline.start(now: start)
        _ = deadline.start(now: start + .seconds(30))
        #expect(deadline.timerFired(now: start + .seconds(60)) == .reschedule(start + .seconds(90)))
        #expect(deadline.timerFired(now: start + .seconds(90)) == .close)
    }

    @Test func aTimerFiringWhileAHeadIsAnsweredLapsesAndTheNextStartSchedulesAgain() {
        var deadline = RequestHeadDeadline(timeout: .seconds(5))
        _ = deadline.start(now: start)
        deadline.clear()
        #expect(deadline.timerFired(now: start + .seconds(5)) == .lapse)
        #expect(deadline.start(now: start + .seconds(100)) == start + .seconds(105))
    }
}
