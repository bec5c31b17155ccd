import Yams

/// The top-level `allowed_hosts:` and `allowed_origins:`: who besides this
/// machine's loopback names and pages may use the proxy (``HostOriginPolicy``).
extension ConfigParser {
    /// `allowed_hosts:`: host names, `name:port`, or `*`.
    func allowedHosts(_ node: Node) throws(ConfigError) -> [String] {
        try allowList(node, field: "allowed_hosts", problem: HostOriginPolicy.problem(allowedHost:))
    }

    /// `allowed_origins:`: `scheme://host[:port]`, or `*`.
    func allowedOrigins(_ node: Node) throws(ConfigError) -> [String] {
        try allowList(node, field: "allowed_origins", problem: HostOriginPolicy.problem(allowedOrigin:))
    }

    private func allowList(
        _ node: Node, field: String, problem: (String) -> String?
    ) throws(ConfigError) -> [String] {
        let items = try stringList(node, field: field)
        for item in items {
            if let problem = problem(item) {
                throw failure(
                    at: node, "`\(field)` holds \"\(item)\", \(problem)",
                    fix: "Write it as, e.g., "
                        + (field == "allowed_hosts"
                            ? "`allowed_hosts: [proxy.lan]`." : "`allowed_origins: [\"http://app.lan:3000\"]`."))
            }
        }
        return items
    }
}
