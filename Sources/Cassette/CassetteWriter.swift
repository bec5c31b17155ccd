import Foundation
import Wire

/// Writes cassette lines synchronously, from one thread at a time.
///
/// ``CassetteRecorder`` owns one on its writer thread; tools that rewrite
/// cassettes (`log-replay verify --update`) can use one directly.
///
/// In directory mode files are `DIR/<yyyyMMdd-HHmmss>-<pid>.jsonl.lz4` (UTC
/// start time), each one LZ4 frame starting with a `cassette` header line.
/// When a file reaches `maxFileBytes` its frame is ended and the next line
/// goes to `<start>-<pid>-N.jsonl.lz4` (N = 1, 2, ...) after a new header.
/// The size is checked before each line, counting data still in the
/// compressor at its uncompressed size, so a file exceeds the limit by at
/// most one line.
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
    /// included.
    public var bytesOnDisk: Int { bytesInFinishedFiles + currentFileBytes }

    private var bytesInFinishedFiles = 0

    /// Appends one line. Rotates first when the current file is full.
    public func write(_ event: CassetteEvent) throws(CassetteWriteError) {
        try rotateIfFull()
        try writeLine(event)
    }

    /// Appends a line the recorder's writer thread rendered into `fields`
    /// (see ``QueuedLines``), as ``write(_:)`` would write the event.
    func write(
        _ kind: CassetteEvent.Kind, exchange: UnsafeBufferPointer<UInt8>, timeMicros: Int64,
        fields: RenderedFields
    ) throws(CassetteWriteError) {
        try rotateIfFull()
        guard let sink else { throw closedError() }
        line.removeAll(keepingCapacity: true)
        var rewritten: [UInt8]?
        if kind.holdsRequestBody, let body = fields.body, body.text.first == UInt8(ascii: "{") {
            rewritten = blobs.rewrite(body: body.text, layout: body.layout, blobLines: &line)
        }
        CassetteEvent.writeLineStart(kind: kind.rawValue, exchange: exchange, timeMicros: timeMicros, to: &line)
        fields.write(to: &line, body: rewritten)
        JSONValue.writeVerbatim("}\n", to: &line)
        try sink.write(line)
        linesInFile += 1
        linesNotFlushed += 1
    }

    /// The length of a blob of this file that `text`, a body from where one
    /// of its parts starts, begins with (see ``CassetteBlobs/storedPartLength(at:depth:)``).
    func storedPartLength(at text: UnsafeBufferPointer<UInt8>, depth: Int) -> Int? {
        blobs.storedPartLength(at: text, depth: depth)
    }

    private func rotateIfFull() throws(CassetteWriteError) {
        guard let current = sink else { throw closedError() }
        if case .directory(_, _, let maxFileBytes) = target, linesInFile > 1,
            current.bytesOnDisk + current.pendingBytes >= maxFileBytes
        {
            try current.finish()
            bytesInFinishedFiles += current.bytesOnDisk
            sink = nil
            linesNotFlushed = 0
            try openNextFile()
        }
    }

    /// Puts every line written so far in the file as complete LZ4 blocks, so
    /// a reader (or `lz4 -dc`) sees them even if this process is killed.
    public func flush() throws(CassetteWriteError) {
        guard let sink else { throw closedError() }
        try sink.flush()
        linesNotFlushed = 0
    }

    /// Ends the LZ4 frame and closes the file. Later writes throw.
    public func close() throws(CassetteWriteError) {
        guard let current = sink else { return }
        sink = nil
        try current.finish()
        bytesInFinishedFiles += current.bytesOnDisk
    }

    private func writeLine(_ event: CassetteEvent) throws(CassetteWriteError) {
        guard let sink else { throw closedError() }
        line.removeAll(keepingCapacity: true)
        if let body = event.serializedRequestBody,
            let rewritten = blobs.rewrite(body: body.text, layout: body.layout, blobLines: &line)
        {
            var event = event
            event.replaceBody(serialized: rewritten)
            event.writeLine(to: &line)
        } else {
            event.writeLine(to: &line)
        }
        try sink.write(line)
        linesInFile += 1
        linesNotFlushed += 1
    }

    /// After a write error: lets go of the current file without ending its
    /// frame (the disk refused the bytes; a reader reports its torn tail
    /// and reads every block before it), so ``reopen()`` can start anew.
    public func abandonCurrentFile() {
        guard let current = sink else { return }
        sink = nil
        bytesInFinishedFiles += current.bytesOnDisk
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
