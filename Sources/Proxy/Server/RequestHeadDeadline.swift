import NIOCore

/// By when a client connection's next request head must have arrived in
/// full, or the connection is closed: counted from the connection's start,
/// and from the end of the last answer owed (for the next request on a
/// kept-alive connection). While a request body comes, the same timeout
/// bounds each silence in it (the ``RequestIntakeHandler`` moves the
/// deadline at every part). While an answer waits for room (the client
/// reads none of it), and once the connection is closing, the client is
/// timed too. Nothing else is timed while a request is owed an answer, so a
/// long stream read as it comes is not cut.
///
/// An idle timeout alone would not do for heads: a client sending its
/// headers one byte a second (slowloris) is never idle, yet holds its
/// connection for ever.
///
/// One timer a connection, moved by deadline: a head clears the deadline,
/// an answer's end sets it again, and the timer, when it fires, closes the
/// connection if the deadline has passed, is scheduled again for a later
/// one, or lapses when there is none. Scheduling and cancelling a timer for
/// each request cost ~5 K instructions of a small request's ~400 K. The
/// ``RequestIntakeHandler`` keeps one and does the scheduling.
struct RequestHeadDeadline {
    /// What to do when the timer fires.
    enum Expiry: Equatable {
        /// The deadline passed with no head: close the connection.
        case close
        /// The deadline moved: schedule the timer for it.
        case reschedule(NIODeadline)
        /// Nothing is timed now; the next ``start(now:)`` schedules.
        case lapse
    }

    let timeout: TimeAmount
    private(set) var deadline: NIODeadline?
    private var timerScheduled = false

    init(timeout: Duration) {
        self.timeout = TimeAmount(timeout)
    }

    /// A head arrived: untimed until its answer ends.
    mutating func clear() {
        deadline = nil
    }

    /// The next head is due `timeout` from `now`. Returns when to schedule
    /// the timer, if none is scheduled.
    mutating func start(now: NIODeadline) -> NIODeadline? {
        let due = now + timeout
        deadline = due
        guard !timerScheduled else { return nil }
        timerScheduled = true
        return due
    }

    /// The timer fired at `now`. After ``Expiry/close`` and ``Expiry/lapse``
    /// no timer is scheduled: the next ``start(now:)`` schedules one.
    mutating func timerFired(now: NIODeadline) -> Expiry {
        guard let deadline, now < deadline else {
            timerScheduled = false
            return deadline == nil ? .lapse : .close
        }
        return .reschedule(deadline)
    }
}
