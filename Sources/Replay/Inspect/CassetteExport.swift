import Cassette
import Foundation

/// `log-replay -o cassette`: the selected exchanges as a cassette of their
/// own, which `log-replay`, `verify` and `stub-upstream` read like any
/// recording, so one failing exchange can be cut out of a large cassette
/// and replayed on its own. `-o jsonl` writes the same lines without the
/// header, which no reader accepts as a cassette.
public enum CassetteExport {
    /// The header of an exported cassette: a new one for this process, but
    /// with the `started` of the first exchange's source cassette, the
    /// start time its exchanges fall back on.
    public static func header(for first: Exchange?) -> CassetteEvent {
        var header = CassetteFormat.header(started: Date(), pid: getpid())
        if let started = first?.cassetteStarted { header["started"] = .string(started) }
        return header
    }

    /// Writes the cassette as plain JSON Lines to `output` (stdout): the
    /// header before the first exchange, then each exchange's lines as it
    /// is read, with request bodies whole (a blob line is only a way of not
    /// storing a body twice in one file). Throws the first read error; what
    /// was written before it stays written. `reading` sees every exchange
    /// read, selected or not.
    public static func write(
        paths: [String], filter: ExchangeFilter, progress: ReadProgress? = nil,
        to output: inout some TextOutputStream, reading: (Exchange) -> Void = { _ in }
    ) throws(CassetteReadError) {
        var headerWritten = false
        func writeHeader(for first: Exchange?) {
            guard !headerWritten else { return }
            headerWritten = true
            output.write(header(for: first).json.serializedString() + "\n")
        }
        try CassetteLoader.stream(paths: paths, progress: progress) { exchange in
            reading(exchange)
            guard filter.matches(exchange) else { return }
            writeHeader(for: exchange)
            ExchangeExport.jsonl([exchange], to: &output)
        }
        // Nothing matched: still a cassette, one that holds no exchange.
        writeHeader(for: nil)
    }

    /// Writes the cassette to `file`, a new file (an existing one is refused
    /// rather than overwritten), LZ4-compressed when its name ends in `.lz4`,
    /// through ``CassetteWriter``, so large request bodies go back into blob
    /// lines as the proxy writes them. Returns how many exchanges it holds.
    /// A read error leaves the file holding the exchanges before it.
    /// `reading` sees every exchange read, selected or not.
    @discardableResult
    public static func write(
        paths: [String], filter: ExchangeFilter, file: String, progress: ReadProgress? = nil,
        reading: (Exchange) -> Void = { _ in }
    ) throws -> Int {
        // Refused before the read, which can take minutes on a large
        // recording; the writer's exclusive create still guards the race.
        if FileManager.default.fileExists(atPath: file) {
            throw CassetteWriteError(path: file, reason: "cannot create the file: File exists", code: EEXIST)
        }
        var writer: CassetteWriter?
        var writeError: CassetteWriteError?
        var count = 0
        // The writer opens the file with its header, known at the first
        // exchange; the stream's body cannot throw, so the first write
        // error is kept and thrown once the read is over.
        func open(for first: Exchange?) throws(CassetteWriteError) -> CassetteWriter {
            if let writer { return writer }
            let opened = try CassetteWriter(file: file, header: header(for: first))
            writer = opened
            return opened
        }
        do {
            try CassetteLoader.stream(paths: paths, progress: progress) { exchange in
                reading(exchange)
                guard writeError == nil, filter.matches(exchange) else { return }
                do throws(CassetteWriteError) {
                    let writer = try open(for: exchange)
                    for event in exchange.events { try writer.write(event) }
                    count += 1
                } catch {
                    writeError = error
                }
            }
        } catch {
            try? writer?.close()
            throw error
        }
        if let writeError {
            // Closed all the same, so what was written ends as a frame.
            try? writer?.close()
            throw writeError
        }
        try open(for: nil).close()
        return count
    }
}
