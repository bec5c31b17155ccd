import AsyncHTTPClient
import Convert
import NIOHTTP1

/// A rule on the upstream request's headers (`set_headers`,
/// `remove_headers` in models.yaml), applied after everything else the
/// proxy puts there, keys and `extra_headers` included.
public enum HeaderRule: Sendable, Hashable {
    case set(name: String, value: String)
    case remove(name: String)

    /// Applies `rules` in order; a diagnostic for each that changed
    /// something (values are not shown: a header may hold a secret).
    static func apply(_ rules: [HeaderRule], to headers: inout HTTPHeaders) -> [ConversionDiagnostic] {
        rules.compactMap { rule in
            switch rule {
            case .set(let name, let value):
                headers.replaceOrAdd(name: name, value: value)
                return ConversionDiagnostic(
                    severity: .info, path: "/rules/headers", message: "rule set_headers \(name)")
            case .remove(let name):
                guard headers.contains(name: name) else { return nil }
                headers.remove(name: name)
                return ConversionDiagnostic(
                    severity: .info, path: "/rules/headers", message: "rule remove_headers \(name)")
            }
        }
    }
}
