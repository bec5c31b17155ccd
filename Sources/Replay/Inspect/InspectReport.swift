import Cassette

/// The `log-replay -o` formats.
public enum InspectFormat: String, Sendable, CaseIterable {
    case summary, json, jsonl, curl, har, cassette
}

/// `log-replay [FILE|DIR ...]`: the filtered exchanges in the chosen format.
public enum InspectReport {
    /// Reads `paths` as a stream (see ``CassetteLoader/stream(paths:release:progress:_:)``)
    /// and writes the report for the exchanges that pass `filter`. The
    /// summary keeps only counters, and json, jsonl, curl and cassette write each
    /// exchange as it is read, so any size of cassette is read in bounded
    /// memory; `har` is one JSON document and holds the exchanges it lists.
    /// `baseURL` is where curl and HAR requests point (default: the
    /// recorded `Host`). Throws the first read error; what was written
    /// before it stays written.
    ///
    /// Returns false when the filter names a request id no exchange has (a
    /// typo, or the wrong cassette), for the caller to say so: the summary
    /// is then not written, since an empty one would look like an answer.
    @discardableResult
    public static func write(
        paths: [String], filter: ExchangeFilter, format: InspectFormat, baseURL: String? = nil,
        progress: ReadProgress? = nil, to output: inout some TextOutputStream
    ) throws(CassetteReadError) -> Bool {
        var requestIDFound = filter.requestID == nil
        func note(_ exchange: Exchange) {
            if !requestIDFound, exchange.id == filter.requestID { requestIDFound = true }
        }
        switch format {
        case .summary:
            var tally = CassetteSummaryTally(listingFailures: filter.errorsOnly)
            let set = try CassetteLoader.stream(paths: paths, progress: progress) {
                note($0)
                tally.add($0, summarised: filter.matches($0))
            }
            if requestIDFound {
                output.write(tally.summary(fileCount: set.files.count, tornTails: set.tornTails).text)
            }
        case .json:
            var array = ExchangeExport.JSONArray()
            try CassetteLoader.stream(paths: paths, progress: progress) { exchange in
                note(exchange)
                if filter.matches(exchange) { array.add(exchange, to: &output) }
            }
            array.finish(to: &output)
        case .jsonl:
            try CassetteLoader.stream(paths: paths, progress: progress) { exchange in
                note(exchange)
                if filter.matches(exchange) { ExchangeExport.jsonl([exchange], to: &output) }
            }
        case .curl:
            try CassetteLoader.stream(paths: paths, progress: progress) { exchange in
                note(exchange)
                if filter.matches(exchange) { CurlExport.write([exchange], baseURL: baseURL, to: &output) }
            }
        case .har:
            var exchanges: [Exchange] = []
            try CassetteLoader.stream(paths: paths, progress: progress) { exchange in
                note(exchange)
                if filter.matches(exchange) { exchanges.append(exchange) }
            }
            output.write(HARExport.document(exchanges, baseURL: baseURL).serializedString())
            output.write("\n")
        case .cassette:
            try CassetteExport.write(paths: paths, filter: filter, progress: progress, to: &output, reading: note)
        }
        return requestIDFound
    }
}
