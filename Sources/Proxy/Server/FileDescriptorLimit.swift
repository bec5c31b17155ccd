#if canImport(Glibc)
import Glibc
#endif

/// The process's open-file limit, raised at start to what `--max-connections`
/// needs. Shells and service managers often start a process with a soft
/// limit of 1,024 open files while allowing far more: a proxy holding a
/// thousand streams (a client socket and an upstream socket each) would run
/// out and refuse connections with "too many open files".
public enum FileDescriptorLimit {
    /// Descriptors one served connection holds: the client's socket and one
    /// to its upstream.
    static let perConnection = 2
    /// Descriptors the proxy holds besides: the listening socket, event
    /// loops' pipes, the cassette, logs, the config file.
    static let reserve = 64
    /// Linux refuses a soft limit above `fs.nr_open` (1,048,576 unless
    /// raised), even when the hard limit is unlimited.
    static let ceiling = 1 << 20

    /// What start-up did to the limit, and what to tell the user.
    public struct Outcome: Equatable, Sendable {
        /// The soft limit before and after.
        public var before: Int
        public var after: Int
        /// Set when even the raised limit is too low for `--max-connections`.
        public var warning: String?
    }

    /// The soft limit to set, given the current soft and hard limits, and
    /// the warning when the hard limit is too low; pure, for tests.
    static func plan(soft: Int, hard: Int, maxConnections: Int) -> Outcome {
        let target = max(soft, min(hard, ceiling))
        let needed = maxConnections * perConnection + reserve
        var outcome = Outcome(before: soft, after: target)
        if target < needed {
            outcome.warning =
                "the open-file limit is \(target) (the hard limit), too low for --max-connections "
                + "\(maxConnections), which needs about \(needed): connections past about "
                + "\(max(0, (target - reserve) / perConnection)) will be refused by the system. Raise the hard "
                + "limit (`ulimit -Hn` as root, or LimitNOFILE= in a systemd unit) or lower --max-connections."
        }
        return outcome
    }

    /// Raises the soft limit to the hard one (up to the kernel's ceiling)
    /// and says whether that is enough for `maxConnections`.
    public static func raise(maxConnections: Int) -> Outcome {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else {
            return Outcome(before: 0, after: 0, warning: nil)
        }
        let soft = Int(clamping: limit.rlim_cur)
        let hard = Int(clamping: limit.rlim_max)
        var outcome = plan(soft: soft, hard: hard, maxConnections: maxConnections)
        if outcome.after > soft {
            limit.rlim_cur = rlim_t(outcome.after)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
                outcome = plan(soft: soft, hard: soft, maxConnections: maxConnections)
            }
        }
        return outcome
    }
}
