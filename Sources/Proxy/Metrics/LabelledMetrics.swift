import Synchronization

/// One metric per set of label values, made on first use and kept: making a
/// swift-metrics object goes through the factory's registry (a lock and a
/// name check), which a request should not pay each time.
final class LabelledMetrics<Metric: AnyObject & Sendable>: Sendable {
    private let make: @Sendable ([(String, String)]) -> Metric
    private let names: [String]
    private let made = Mutex<[[String]: Metric]>([:])

    /// `names` are the label names; `make` builds the metric for their values.
    init(labels names: [String], make: @escaping @Sendable ([(String, String)]) -> Metric) {
        self.names = names
        self.make = make
    }

    /// The metric for these label values, in the order of the names.
    func callAsFunction(_ values: String...) -> Metric {
        made.withLock { made in
            if let metric = made[values] { return metric }
            let metric = make(Array(zip(names, values)))
            made[values] = metric
            return metric
        }
    }
}
