import Cassette
import Foundation
import Wire

/// What the `log-replay` subcommands do, given parsed options; the
/// executable only parses arguments and exits with the returned status.
public enum LogReplayCommands {
    /// The default subcommand: summary or export of the filtered exchanges,
    /// read as a stream (see ``InspectReport``). Exit 0, or 1 when input
    /// cannot be read, `cassetteFile` written, or no exchange has the
    /// filter's request id (one line on `errors`).
    /// With `cassetteFile`, the `cassette` format goes to that new file
    /// (see ``CassetteExport/write(paths:filter:file:progress:)``) and
    /// nothing to `output`.
    public static func inspect(
        paths: [String], filter: ExchangeFilter, format: InspectFormat, baseURL: String?,
        cassetteFile: String? = nil, output: inout some TextOutputStream, errors: inout some TextOutputStream
    ) -> Int32 {
        do {
            let found: Bool
            if format == .cassette, let cassetteFile {
                var requestIDFound = filter.requestID == nil
                try CassetteExport.write(
                    paths: paths, filter: filter, file: cassetteFile, progress: ReadProgress(),
                    reading: { if $0.id == filter.requestID { requestIDFound = true } })
                // This run made the file, and it holds a header only.
                if !requestIDFound { unlink(cassetteFile) }
                found = requestIDFound
            } else {
                found = try InspectReport.write(
                    paths: paths, filter: filter, format: format, baseURL: baseURL, progress: ReadProgress(),
                    to: &output)
            }
            if !found, let requestID = filter.requestID {
                errors.write(
                    ControlCharacterEscape.escaped(
                        "log-replay: no exchange has request id \(requestID) in \(paths.joined(separator: ", "))")
                        + "\n")
                return 1
            }
            return 0
        } catch {
            errors.write("log-replay: \(error)\n")
            return 1
        }
    }

    /// `verify`: exit 0 when everything matches, 1 on any difference, 2 when
    /// input cannot be read, 3 when nothing differs but the recording is
    /// damaged (a torn tail, exchanges with no `end` line; see
    /// ``VerifyReport/exitCode``). With `update`, differing expectations
    /// are rewritten from today's output and listed as `UPDATE`; a file with
    /// a torn tail is never rewritten (the rewrite would drop its cut-off
    /// bytes, the evidence of what happened): the update is refused, exit 2,
    /// before any file is touched. The cassettes are read as a stream, each
    /// exchange verified as it is read, and only the results shown are kept
    /// (every one for `json`).
    public static func verify(
        paths: [String], verifier: ExchangeVerifier, update: Bool, json: Bool, verbose: Bool,
        output: inout some TextOutputStream, errors: inout some TextOutputStream
    ) -> Int32 {
        var report = VerifyReport(keeping: VerifyReport.Keeping(matched: json, todaysOutput: update))
        do {
            let set = try CassetteLoader.stream(paths: paths, progress: ReadProgress()) {
                report.add(verifier.verify($0))
            }
            report.add(tornTails: set.tornTails)
        } catch {
            errors.write("log-replay verify: \(error)\n")
            return 2
        }
        guard update, report.differingCount > 0 else {
            output.write(json ? report.json.serializedString() + "\n" : report.text(verbose: verbose))
            return report.exitCode
        }
        let rewritten = Set(report.results.filter { $0.skipped == nil && !$0.differences.isEmpty }.map(\.file))
        if let torn = report.tornTails.first(where: { rewritten.contains($0.file) }) {
            output.write(json ? report.json.serializedString() + "\n" : report.text(verbose: verbose))
            errors.write(
                ControlCharacterEscape.escaped(
                    "log-replay verify --update: \(torn.file) has a torn tail (\(torn.description)), which a "
                        + "rewrite would drop; nothing was updated. Copy its exchanges to a new file first "
                        + "(log-replay FILE -o cassette --write NEW.jsonl.lz4) and update that.") + "\n")
            return 2
        }
        do {
            let files = try updateCassettes(report)
            output.write(json ? report.json.serializedString() + "\n" : report.text(verbose: verbose, updating: true))
            if !json { output.write("updated \(report.differingCount) exchanges in \(files) files\n") }
            return report.recordingIsDamaged ? 3 : 0
        } catch {
            errors.write("log-replay verify --update: \(error)\n")
            return 2
        }
    }

    /// Rewrites every file holding a differing exchange; returns how many.
    static func updateCassettes(_ report: VerifyReport) throws -> Int {
        let byFile = Dictionary(
            grouping: report.results.filter { $0.skipped == nil && !$0.differences.isEmpty }, by: \.file)
        for (file, results) in byFile.sorted(by: { $0.key < $1.key }) {
            let contents = try CassetteReader.read(path: file)
            // Cut short since it was verified: its lost bytes are not ours to drop.
            if let tornTail = contents.tornTail {
                throw CassetteUpdate.RewriteError(path: file, reason: "it has a torn tail (\(tornTail))")
            }
            let events = CassetteUpdate.updatedEvents(contents.events, with: results)
            try CassetteUpdate.rewrite(path: file, header: contents.header, events: events)
        }
        return byFile.count
    }

    /// `send`: re-sends each recorded client request to `target` and prints
    /// the new status next to the recorded one. Exit 0 when every status is
    /// the recorded one, 1 otherwise or when input cannot be read.
    public static func send(
        paths: [String], filter: ExchangeFilter, sender: ReplaySender,
        output: inout some TextOutputStream, errors: inout some TextOutputStream
    ) async -> Int32 {
        let set: CassetteSet
        do {
            set = try CassetteLoader.load(paths: paths, progress: ReadProgress())
        } catch {
            errors.write("log-replay send: \(error)\n")
            return 1
        }
        var sent = 0
        var same = 0
        let client = ReplaySender.makeClient()
        for exchange in set.exchanges where filter.matches(exchange) {
            guard let result = await sender.send(exchange, client: client) else { continue }
            output.write(result.line + "\n")
            sent += 1
            if result.isSame { same += 1 }
        }
        try? await client.shutdown()
        output.write("\(sent) sent, \(same) ended as recorded, \(sent - same) different\n")
        return same == sent ? 0 : 1
    }
}

/// A file handle (stdout, stderr) as a buffered `TextOutputStream`: exports
/// write many small pieces, and one system call each would dominate.
public final class HandleOutput: TextOutputStream {
    private let handle: FileHandle
    private let flushesEachLine: Bool
    private var buffer: [UInt8] = []

    /// - Parameter flushesEachLine: write out at the end of each line, for a
    ///   command whose lines come seconds apart (`send`): buffered, a
    ///   redirected run showed nothing until it ended.
    public init(_ handle: FileHandle, flushesEachLine: Bool = false) {
        self.handle = handle
        self.flushesEachLine = flushesEachLine
    }

    public static var standardOutput: HandleOutput { HandleOutput(.standardOutput) }
    public static var standardError: HandleOutput { HandleOutput(.standardError) }

    public func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= 1 << 16 || (flushesEachLine && buffer.last == UInt8(ascii: "\n")) { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    deinit { flush() }
}
