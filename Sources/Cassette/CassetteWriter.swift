import Foundation
import Wire

/// Writes cassette lines synchronously, from one thread at a time.
///
/// ``CassetteRecorder`` owns one on its writer thread; tools that rewrite
/// cassettes (`log-replay verify --update`) can use one directly.
///
/// In directory mode files are `DIR/<yyyyMMdd-HHmmss>-<pid>.jsonl.lz4` (UTC
/// start time), each one LZ4 frame starting with a `cassette` header line.
/// Once a file reaches `maxFileBytes` (checked before each line, counting
/// data still in the compressor at its uncompressed size) it takes no new
/// exchange: the next line that is not part of an exchange begun in it goes
/// to `<start>-<pid>-N.jsonl.lz4` (N = 1, 2, ...) after a new header.
///
/// An exchange stays whole in one file, so that every reader (`log-replay`,
/// `verify`, `stub-upstream`) can take any file on its own. An exchange
/// begins at its `client_request` line and ends at its `end` line; one
/// still open when its file rotates keeps writing to that file (see
/// ``DrainingCassetteFile``), which is ended when its last exchange ends.
/// Exchanges interleave under load, so waiting for a moment with none open
/// might never come; instead a full file exceeds the limit by what its open
/// exchanges still write. Lines of an exchange with no `client_request`
/// line (dropped from a full queue, or a tool's lone lines) are not
/// tracked and go to the newest file.
public final class CassetteWriter {
    /// Every file this writer has opened, in order; the last is current.
    public private(set) var files: [String] = []

    private enum Target {
        case directory(String, baseName: String, maxFileBytes: Int)
        case file(String)
    }

    private let target: Target
    private let header: CassetteEvent
    // The state each line touches is exempt from the run-time exclusivity
    // checks (~90 instructions an access, five a line): a writer is used
    // from one thread at a time and never re-enters itself, so no two
    // accesses can overlap (the compiler still checks what it can see).
    @exclusivity(unchecked) private var sink: (any CassetteSink)?
    private var nextPart = 0
    @exclusivity(unchecked) private var linesInFile = 0
    /// Lines given to the sink since its last complete flush: what a write
    /// error loses (at most; some may sit in blocks already on disk).
    @exclusivity(unchecked) private(set) var linesNotFlushed = 0
    @exclusivity(unchecked) private var line: [UInt8] = []
    @exclusivity(unchecked) private var blobs = CassetteBlobs()
    /// The exchanges begun in the current file that have not ended.
    @exclusivity(unchecked) private var openExchanges: Set<String> = []
    /// Rotated files still taking the lines of their open exchanges, oldest
    /// first.
    @exclusivity(unchecked) private var draining: [DrainingCassetteFile] = []

    /// The most rotated files kept open for their exchanges. An exchange
    /// whose `end` line a full queue dropped is ended all the same (see
    /// ``exchangeEnded(withoutLine:)``), so only one whose `end` line never
    /// came at all outlives a few rotations; past this many, the oldest file is ended
    /// and the rest of its exchanges go to the newest file, so open files
    /// (and their blobs' memory) stay bounded.
    static let maximumDrainingFiles = 4

    /// Opens the first file in `directory`, creating the directory if it is
    /// missing (its owner's only, as the files are), and writes the header
    /// line (flushed at once, so the file is a readable cassette from the
    /// start).
    public init(
        directory: String, maxFileBytes: Int = 256 << 20, started: Date = Date(), pid: Int32 = getpid()
    ) throws(CassetteWriteError) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CassetteWriteError(path: directory, reason: "cannot create the directory: \(Self.reason(error))")
        }
        let baseName = "\(CassetteFormat.fileStamp(started))-\(pid)"
        target = .directory(directory, baseName: baseName, maxFileBytes: max(1, maxFileBytes))
        header = CassetteFormat.header(started: started, pid: pid)
        try openNextFile()
    }

    /// Writes one file at `path` (which must not exist yet), LZ4 when the
    /// name ends in `.lz4`, plain JSON Lines otherwise; no rotation. The
    /// header line is `header`, or a new one for this process.
    public init(file path: String, header: CassetteEvent? = nil) throws(CassetteWriteError) {
        target = .file(path)
        self.header = header ?? CassetteFormat.header(started: Date(), pid: getpid())
        try openNextFile()
    }

    deinit { try? sink?.finish() }

    /// The file being written.
    public var currentFile: String? { sink?.path }

    /// Compressed bytes in the current file so far.
    public var currentFileBytes: Int { sink?.bytesOnDisk ?? 0 }

    /// Compressed bytes in every file this writer wrote, the current one
    /// (and the rotated ones still open for their exchanges) included.
    public var bytesOnDisk: Int {
        draining.reduce(bytesInFinishedFiles + currentFileBytes) { $0 + $1.sink.bytesOnDisk }
    }

    private var bytesInFinishedFiles = 0

    /// Appends one line: to the file its exchange began in, or else to the
    /// current file, rotating first when that file is full.
    public func write(_ event: CassetteEvent) throws(CassetteWriteError) {
        let kind = event.knownKind
        let drainingFile = try file(for: kind) { event.exchange }
        try writeLine(event, to: drainingFile)
        if kind == .end, let exchange = event.exchange { exchangeEnded(exchange, in: drainingFile) }
    }

    /// Appends a line the recorder's writer thread rendered into `fields`
    /// (see ``QueuedLines``), as ``write(_:)`` would write the event.
    func write(
        _ kind: CassetteEvent.Kind, exchange: UnsafeBufferPointer<UInt8>, timeMicros: Int64,
        fields: RenderedFields
    ) throws(CassetteWriteError) {
        // The id is made a String only where it is looked up: at an
        // exchange's first and last lines, and while a file is full or
        // draining.
        let drainingFile = try file(for: kind) { String(decoding: exchange, as: UTF8.self) }
        guard let sink = drainingFile?.sink ?? sink else { throw closedError() }
        line.removeAll(keepingCapacity: true)
        var rewritten: [UInt8]?
        if kind.holdsRequestBody, let body = fields.body, body.text.first == UInt8(ascii: "{") {
            if let drainingFile {
                rewritten = drainingFile.blobs.rewrite(body: body.text, layout: body.layout, blobLines: &line)
            } else {
                rewritten = blobs.rewrite(body: body.text, layout: body.layout, blobLines: &line)
            }
        }
        CassetteEvent.writeLineStart(kind: kind.rawValue, exchange: exchange, timeMicros: timeMicros, to: &line)
        fields.write(to: &line, body: rewritten)
        JSONValue.writeVerbatim("}\n", to: &line)
        try sink.write(line)
        if drainingFile == nil { linesInFile += 1 }
        linesNotFlushed += 1
        if kind == .end { exchangeEnded(String(decoding: exchange, as: UTF8.self), in: drainingFile) }
    }

    /// The length of a blob of this file that `text`, a body from where one
    /// of its parts starts, begins with (see ``CassetteBlobs/storedPartLength(at:depth:)``).
    func storedPartLength(at text: UnsafeBufferPointer<UInt8>, depth: Int) -> Int? {
        blobs.storedPartLength(at: text, depth: depth)
    }

    /// The file a line of kind `kind` goes to: the draining file its
    /// exchange began in (returned), or the current one (nil), rotated
    /// first when it is full and the line continues no exchange open in
    /// it. A `client_request` line opens its exchange in the current file.
    /// `exchange` gives the line's exchange id, asked for only when needed.
    private func file(
        for kind: CassetteEvent.Kind?, exchange: () -> String?
    ) throws(CassetteWriteError) -> DrainingCassetteFile? {
        guard let current = sink else { throw closedError() }
        let beginsExchange = kind == .clientRequest
        var id: String??
        func exchangeID() -> String? {
            if let id { return id }
            let made = exchange()
            id = .some(made)
            return made
        }
        if !draining.isEmpty, !beginsExchange, let id = exchangeID(),
            let drainingFile = draining.first(where: { $0.openExchanges.contains(id) })
        {
            return drainingFile
        }
        if case .directory(_, _, let maxFileBytes) = target, linesInFile > 1,
            current.bytesOnDisk + current.pendingBytes >= maxFileBytes,
            beginsExchange || exchangeID().map({ !openExchanges.contains($0) }) ?? true
        {
            try rotate()
        }
        if beginsExchange, let id = exchangeID() { openExchanges.insert(id) }
        return nil
    }

    /// Moves on to the next file. The full one is ended, or, while
    /// exchanges begun in it are open, kept open for them.
    private func rotate() throws(CassetteWriteError) {
        guard let current = sink else { throw closedError() }
        // On a write error the file stays current, for the recorder to let
        // go of (``abandonCurrentFile()``).
        if openExchanges.isEmpty {
            try current.finish()
            bytesInFinishedFiles += current.bytesOnDisk
        } else {
            // Flushed, so that the lines it holds so far are safe on disk
            // however long its exchanges take.
            try current.flush()
            draining.append(DrainingCassetteFile(sink: current, blobs: blobs, openExchanges: openExchanges))
            if draining.count > Self.maximumDrainingFiles { end(draining.removeFirst()) }
        }
        sink = nil
        openExchanges = []
        linesNotFlushed = 0
        try openNextFile()
    }

    /// Notes that `exchange` is over though its `end` line never reached
    /// the writer (the recorder dropped it from a full queue): a draining
    /// file whose last open exchange it was is ended now, rather than kept
    /// open until ``maximumDrainingFiles`` rotations later, when the rest
    /// of a long stream still open in it would go to another file. An
    /// exchange not open in any file is ignored.
    func exchangeEnded(withoutLine exchange: String) {
        exchangeEnded(exchange, in: draining.first { $0.openExchanges.contains(exchange) })
    }

    /// Notes that `exchange` ended; a draining file whose last exchange it
    /// was is ended.
    private func exchangeEnded(_ exchange: String, in drainingFile: DrainingCassetteFile?) {
        guard let drainingFile else {
            openExchanges.remove(exchange)
            return
        }
        drainingFile.openExchanges.remove(exchange)
        guard drainingFile.openExchanges.isEmpty else { return }
        draining.removeAll { $0 === drainingFile }
        end(drainingFile)
    }

    /// Ends a draining file out of a line's way. A failure to end it is a
    /// failure of the disk, which the next write or flush meets too: the
    /// file is let go, as after any write error, its flushed lines readable.
    private func end(_ drainingFile: DrainingCassetteFile) {
        do throws(CassetteWriteError) {
            try finish(drainingFile)
        } catch {
            bytesInFinishedFiles += drainingFile.sink.bytesOnDisk
        }
    }

    private func finish(_ drainingFile: DrainingCassetteFile) throws(CassetteWriteError) {
        try drainingFile.sink.finish()
        bytesInFinishedFiles += drainingFile.sink.bytesOnDisk
    }

    /// Puts every line written so far in the file (and in the rotated files
    /// still open) as complete LZ4 blocks, so a reader (or `lz4 -dc`) sees
    /// them even if this process is killed.
    public func flush() throws(CassetteWriteError) {
        guard let sink else { throw closedError() }
        for drainingFile in draining { try drainingFile.sink.flush() }
        try sink.flush()
        linesNotFlushed = 0
    }

    /// Ends the LZ4 frames and closes the files. Later writes throw.
    public func close() throws(CassetteWriteError) {
        guard let current = sink else { return }
        sink = nil
        let stillDraining = draining
        draining = []
        // Every file is ended, whichever fails: the first failure is thrown after.
        var failure: CassetteWriteError?
        for drainingFile in stillDraining {
            do throws(CassetteWriteError) { try finish(drainingFile) } catch { failure = failure ?? error }
        }
        do throws(CassetteWriteError) {
            try current.finish()
            bytesInFinishedFiles += current.bytesOnDisk
        } catch {
            failure = failure ?? error
        }
        if let failure { throw failure }
    }

    /// Writes `event` to `drainingFile`, or to the current file when nil.
    private func writeLine(
        _ event: CassetteEvent, to drainingFile: DrainingCassetteFile? = nil
    )
        throws(CassetteWriteError)
    {
        guard let sink = drainingFile?.sink ?? sink else { throw closedError() }
        line.removeAll(keepingCapacity: true)
        var rewritten: [UInt8]?
        if let body = event.serializedRequestBody {
            if let drainingFile {
                rewritten = drainingFile.blobs.rewrite(body: body.text, layout: body.layout, blobLines: &line)
            } else {
                rewritten = blobs.rewrite(body: body.text, layout: body.layout, blobLines: &line)
            }
        }
        if let rewritten {
            var event = event
            event.replaceBody(serialized: rewritten)
            event.writeLine(to: &line)
        } else {
            event.writeLine(to: &line)
        }
        try sink.write(line)
        if drainingFile == nil { linesInFile += 1 }
        linesNotFlushed += 1
    }

    /// After a write error: lets go of the current file without ending its
    /// frame (the disk refused the bytes; a reader reports its torn tail
    /// and reads every block before it), so ``reopen()`` can start anew.
    public func abandonCurrentFile() {
        if let current = sink { bytesInFinishedFiles += current.bytesOnDisk }
        sink = nil
        // On the same disk: let go of them too. Their exchanges' later
        // lines go to the next file.
        for drainingFile in draining { bytesInFinishedFiles += drainingFile.sink.bytesOnDisk }
        draining = []
    }

    /// Starts the next file (a new part, with its header), after
    /// ``abandonCurrentFile()``: how recording resumes once the disk takes
    /// bytes again. A file that cannot take even its header is removed.
    public func reopen() throws(CassetteWriteError) {
        abandonCurrentFile()
        try openNextFile()
    }

    private func openNextFile() throws(CassetteWriteError) {
        let file: OutputFile
        switch target {
        case .file(let path):
            file = try OutputFile(creating: path)
        case .directory(let directory, let baseName, _):
            file = try Self.createFile(in: directory, baseName: baseName, part: &nextPart)
        }
        let opened: any CassetteSink =
            file.path.hasSuffix(".lz4") ? try LZ4FrameSink(file: file) : PlainSink(file: file)
        sink = opened
        linesInFile = 0
        blobs.reset()
        openExchanges = []
        do throws(CassetteWriteError) {
            try writeLine(header)
            try opened.flush()
            linesNotFlushed = 0
        } catch {
            // Retried every second while the disk is full: leave no trail
            // of empty files behind.
            sink = nil
            unlink(opened.path)
            throw error
        }
        files.append(opened.path)
    }

    /// The first free name from `part` on; a name taken by another writer
    /// (same second, same pid, e.g. two recorders in one test process) is
    /// skipped rather than shared.
    private static func createFile(
        in directory: String, baseName: String, part: inout Int
    ) throws(CassetteWriteError) -> OutputFile {
        while true {
            let name = part == 0 ? baseName : "\(baseName)-\(part)"
            part += 1
            let path = (directory as NSString).appendingPathComponent(name + CassetteFormat.compressedExtension)
            do {
                return try OutputFile(creating: path)
            } catch {
                guard error.code == EEXIST, part < 100_000 else { throw error }
            }
        }
    }

    private func closedError() -> CassetteWriteError {
        CassetteWriteError(path: files.last ?? "", reason: "the writer is closed")
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return OutputFile.message(Int32(underlying.code))
        }
        return nsError.localizedDescription
    }
}
