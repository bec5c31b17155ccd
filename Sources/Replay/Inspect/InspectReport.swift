/// The `log-replay -o` formats.
public enum InspectFormat: String, Sendable, CaseIterable {
    case summary, json, jsonl, curl, har
}

/// `log-replay [FILE|DIR ...]`: the filtered exchanges in the chosen format.
public enum InspectReport {
    /// Writes the report for the exchanges of `set` that pass `filter`.
    /// `baseURL` is where curl and HAR requests point (default: the
    /// recorded `Host`).
    public static func write(
        _ set: CassetteSet, filter: ExchangeFilter, format: InspectFormat, baseURL: String? = nil,
        to output: inout some TextOutputStream
    ) {
        let exchanges = filter.isEmpty ? set.exchanges : set.exchanges.filter(filter.matches)
        switch format {
        case .summary: output.write(CassetteSummary(exchanges: exchanges, set: set).text)
        case .json: ExchangeExport.json(exchanges, to: &output)
        case .jsonl: ExchangeExport.jsonl(exchanges, to: &output)
        case .curl: CurlExport.write(exchanges, baseURL: baseURL, to: &output)
        case .har:
            output.write(HARExport.document(exchanges, baseURL: baseURL).serializedString())
            output.write("\n")
        }
    }
}
