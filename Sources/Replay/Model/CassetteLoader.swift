import Cassette

/// Reads the cassettes named on a command line into one ``CassetteSet``.
public enum CassetteLoader {
    /// Files and directories (read recursively, sorted) as one set. The first
    /// unreadable file stops the load with its one-line error.
    public static func load(
        paths: [String], progress: ReadProgress? = nil
    ) throws(CassetteReadError) -> CassetteSet {
        let files = try CassetteReader.cassetteFiles(in: paths)
        var set = CassetteSet()
        for (index, file) in files.enumerated() {
            set.add(try CassetteReader.read(path: file))
            progress?.update(filesRead: index + 1, of: files.count, exchanges: set.exchanges.count)
        }
        progress?.finish()
        return set
    }
}

extension CassetteSet {
    /// Adds a file as the reader returned it.
    public mutating func add(_ contents: CassetteContents) {
        add(file: contents.path, header: contents.header, events: contents.events, tornTail: contents.tornTail)
    }
}
