import Cassette

/// Reads the cassettes named on a command line, whole or as a stream.
public enum CassetteLoader {
    /// Files and directories (read recursively, sorted) as one set. The first
    /// unreadable file stops the load with its one-line error.
    public static func load(
        paths: [String], progress: ReadProgress? = nil
    ) throws(CassetteReadError) -> CassetteSet {
        var exchanges: [Exchange] = []
        var set = try stream(paths: paths, release: .atEnd, progress: progress) { exchanges.append($0) }
        set.exchanges = exchanges
        return set
    }

    /// Reads files and directories (recursively, sorted) one file at a time,
    /// a chunk at a time, handing each exchange to `body` as
    /// ``ExchangeAssembler`` lets it go: with the default `release`, at its
    /// `end` line, so memory holds only the exchanges still open. Returns
    /// the files read and their torn tails, as a set with no exchanges. The
    /// first unreadable file stops the read with its one-line error (the
    /// exchanges handed on before it stay handed on); paths holding no
    /// cassette at all are an error too, and so are files of which not one
    /// holds even a header line (empty files): a file cut to nothing among
    /// whole ones is only a torn tail, but on its own it would read as a
    /// recording of nothing.
    @discardableResult
    public static func stream(
        paths: [String], release: ExchangeAssembler.Release = .streaming, progress: ReadProgress? = nil,
        _ body: (Exchange) -> Void
    ) throws(CassetteReadError) -> CassetteSet {
        let files = try CassetteReader.cassetteFiles(in: paths)
        // Reading nothing is an error, not an empty report: an empty
        // directory is a wrong path or a recording that never happened.
        guard !files.isEmpty else {
            throw .noCassettes(path: paths.isEmpty ? "(no path given)" : paths.joined(separator: ", "))
        }
        var set = CassetteSet()
        var exchanges = 0
        var headers = 0
        for (index, file) in files.enumerated() {
            var started: String?
            var assembler: ExchangeAssembler?
            let tornTail = try CassetteReader.stream(
                path: file,
                header: {
                    headers += 1
                    started = $0["started"]?.stringValue
                }
            ) { event in
                // The header, when there is one, comes before every other line.
                if assembler == nil {
                    assembler = ExchangeAssembler(file: file, cassetteStarted: started, release: release)
                }
                assembler?.add(event) { exchange in
                    exchanges += 1
                    body(exchange)
                    // A large file shows its progress while it is read, not only at its end.
                    if exchanges % 1000 == 0 {
                        progress?.update(filesRead: index, of: files.count, exchanges: exchanges)
                    }
                }
            }.tornTail
            assembler?.finish { exchange in
                exchanges += 1
                body(exchange)
            }
            set.add(file: file, header: nil, events: [], tornTail: tornTail)
            progress?.update(filesRead: index + 1, of: files.count, exchanges: exchanges)
        }
        progress?.finish()
        if headers == 0, let first = set.tornTails.first {
            let path = files.count == 1 ? first.file : files.joined(separator: ", ")
            let emptiness = CassetteStreamReader.emptyFile
            throw .notACassette(
                path: path,
                reason: set.tornTails.allSatisfy({ $0.description == emptiness })
                    ? (files.count == 1 ? emptiness : "the files are empty")
                    : "not even a header line is whole: \(first.description)")
        }
        return set
    }
}

extension CassetteSet {
    /// Adds a file as the reader returned it.
    public mutating func add(_ contents: CassetteContents) {
        add(file: contents.path, header: contents.header, events: contents.events, tornTail: contents.tornTail)
    }
}
