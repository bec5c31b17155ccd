import Foundation

extension DaemonState {
    /// What `proxy status` prints for a running proxy, one `name: value` a
    /// line.
    public func summaryLines(now: Date = Date()) -> [String] {
        [
            "pid:        \(pid)",
            "address:    \(address)",
            "uptime:     \(Self.duration(now.timeIntervalSince(startedAt))) (since \(startedAt.formatted(.iso8601)))",
            "version:    \(version)",
            "config:     \(configFile ?? "none (--demo)")",
            "log:        \(logFile)",
            "recording:  \(recordDirectory ?? "off")",
        ]
    }

    /// `2d 3h 4m 5s`, leading zero units left out.
    static func duration(_ seconds: TimeInterval) -> String {
        var rest = max(0, Int(seconds))
        var parts: [String] = []
        for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60)] where rest >= size || !parts.isEmpty {
            parts.append("\(rest / size)\(unit)")
            rest %= size
        }
        return (parts + ["\(rest)s"]).joined(separator: " ")
    }
}
