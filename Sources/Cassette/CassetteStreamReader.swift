import Wire

/// Reads one cassette fed in pieces of any size (a file read in chunks, or
/// bytes already in memory), handing each line on as soon as it is
/// complete: the one parser behind every ``CassetteReader`` function.
///
/// The format is told from the first bytes: one or more LZ4 frames, or plain
/// JSON Lines. Memory stays at about one LZ4 block, one line and the file's
/// blobs (see ``CassetteBlobStore``), whatever the file's size.
public final class CassetteStreamReader {
    /// The file read, for errors.
    public let path: String
    /// The `cassette` header line, once it was read.
    public private(set) var header: CassetteEvent?

    private enum Format {
        case undecided
        case lz4(LZ4FrameDecoder)
        case plain
    }

    private var format = Format.undecided
    /// The first bytes, held until they tell the format apart.
    private var firstBytes: [UInt8] = []
    private var fedAnything = false
    private var decoded: [UInt8] = []
    /// The start of a line whose newline has not come yet.
    private var partialLine: [UInt8] = []
    private var lineNumber = 0
    private var sawEvent = false
    private let blobs = CassetteBlobStore()

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A reader for the file `path` (the name is used in errors only).
    public init(path: String) { self.path = path }

    /// Takes the next piece of the file. `header` gets the header line,
    /// `event` every line after it, in file order (blob references already
    /// put back). Throws as ``CassetteReader/read(path:)`` does.
    public func feed(
        _ bytes: ArraySlice<UInt8>, header: (CassetteEvent) -> Void = { _ in }, event: (CassetteEvent) -> Void
    ) throws(CassetteReadError) {
        fedAnything = fedAnything || !bytes.isEmpty
        if case .undecided = format {
            firstBytes.append(contentsOf: bytes)
            guard try decideFormat(final: false) else { return }
            let held = firstBytes
            firstBytes = []
            try pass(held[...], header: header, event: event)
        } else {
            try pass(bytes, header: header, event: event)
        }
    }

    /// The torn tail of a file with no bytes at all.
    public static let emptyFile = "the file is empty"

    /// Called once the whole file was fed: hands on a last line that has no
    /// newline, and returns what was left unread at the end of a file cut
    /// short (see ``CassetteContents/tornTail``), nil when it is complete.
    public func finish(
        header: (CassetteEvent) -> Void = { _ in }, event: (CassetteEvent) -> Void
    ) throws(CassetteReadError) -> String? {
        guard fedAnything else { return Self.emptyFile }
        if case .undecided = format {
            _ = try decideFormat(final: true)
            let held = firstBytes
            firstBytes = []
            try pass(held[...], header: header, event: event)
        }
        var tornParts: [String] = []
        if case .lz4(let decoder) = format {
            if let damage = decoder.damageInside() { throw .unreadable(path: path, reason: damage) }
            if let torn = decoder.finish() { tornParts.append(torn) }
        }
        if !partialLine.isEmpty {
            let line = partialLine
            partialLine = []
            if let torn = try read(line: line[...], complete: false, header: header, event: event) {
                tornParts.append(torn)
            }
        }
        if self.header == nil && tornParts.isEmpty { throw .notACassette(path: path, reason: "it holds no lines") }
        return tornParts.isEmpty ? nil : tornParts.joined(separator: "; ")
    }

    /// Settles the format from `firstBytes` when they tell it (or, when
    /// `final`, from whatever there is); false while more bytes are needed.
    private func decideFormat(final: Bool) throws(CassetteReadError) -> Bool {
        let held = firstBytes
        if LZ4FrameDecoder.looksLikeLZ4(held) {
            // Fewer than 4 bytes may be the start of the magic number or not.
            if held.count < 4 && !final { return false }
            format = .lz4(LZ4FrameDecoder())
            return true
        }
        if held.count < Self.byteOrderMark.count && !final && Self.byteOrderMark.starts(with: held) { return false }
        let body = held.starts(with: Self.byteOrderMark) ? held.dropFirst(Self.byteOrderMark.count) : held[...]
        if let first = body.first(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) {
            guard first == UInt8(ascii: "{") else {
                throw .notACassette(path: path, reason: "neither an LZ4 frame nor JSON Lines")
            }
            format = .plain
            return true
        }
        if final { throw .notACassette(path: path, reason: "neither an LZ4 frame nor JSON Lines") }
        return false
    }

    /// Decodes `bytes` as the format says and reads the lines they complete.
    private func pass(
        _ bytes: ArraySlice<UInt8>, header: (CassetteEvent) -> Void, event: (CassetteEvent) -> Void
    ) throws(CassetteReadError) {
        switch format {
        case .undecided: return
        case .plain: try readLines(bytes, header: header, event: event)
        case .lz4(let decoder):
            decoded.removeAll(keepingCapacity: true)
            decoder.decode(bytes, into: &decoded)
            try readLines(decoded[...], header: header, event: event)
        }
    }

    /// Reads every line `text` completes; keeps the rest for the next piece.
    private func readLines(
        _ text: ArraySlice<UInt8>, header: (CassetteEvent) -> Void, event: (CassetteEvent) -> Void
    ) throws(CassetteReadError) {
        var start = text.startIndex
        while let newline = text[start...].firstIndex(of: 0x0A) {
            if partialLine.isEmpty {
                _ = try read(line: text[start..<newline], complete: true, header: header, event: event)
            } else {
                partialLine.append(contentsOf: text[start..<newline])
                let line = partialLine
                partialLine.removeAll(keepingCapacity: true)
                _ = try read(line: line[...], complete: true, header: header, event: event)
            }
            start = newline + 1
        }
        partialLine.append(contentsOf: text[start...])
    }

    /// Parses one line (without its newline). Returns a description when it
    /// is the last line, has no newline (`complete` false) and does not
    /// parse: where a cut-short file ends.
    private func read(
        line raw: ArraySlice<UInt8>, complete: Bool, header: (CassetteEvent) -> Void, event: (CassetteEvent) -> Void
    ) throws(CassetteReadError) -> String? {
        lineNumber += 1
        var line = raw
        if lineNumber == 1 && line.starts(with: Self.byteOrderMark) { line = line.dropFirst(Self.byteOrderMark.count) }
        if line.last == 0x0D { line = line.dropLast() }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return nil }
        let isFirst = self.header == nil && !sawEvent
        var parsed: CassetteEvent
        do {
            let value = try JSONValue(parsing: line, maximumDepth: CassetteFormat.lineNestingDepth)
            guard let lineEvent = CassetteEvent(json: value) else {
                throw CassetteReadError.invalidLine(path: path, line: lineNumber, reason: "no string `kind`")
            }
            parsed = lineEvent
        } catch {
            if !complete { return "the last line (\(line.count) bytes) is incomplete" }
            if isFirst { throw .notACassette(path: path, reason: "the first line is not a cassette header") }
            if case let error as CassetteReadError = error { throw error }
            throw .invalidLine(path: path, line: lineNumber, reason: "\(error)")
        }
        if parsed.knownKind == .blob {
            if let id = parsed["id"]?.stringValue, let value = parsed["value"] {
                blobs.add(id: id, value: value, line: line)
            }
            return nil
        }
        if !blobs.isEmpty { parsed.resolveBlobReferences(blobs) }
        if isFirst {
            try checkHeader(parsed)
            self.header = parsed
            header(parsed)
        } else {
            sawEvent = true
            event(parsed)
        }
        return nil
    }

    private func checkHeader(_ event: CassetteEvent) throws(CassetteReadError) {
        guard event.knownKind == .cassette else {
            throw .notACassette(path: path, reason: "the first line is a `\(event.kind)` line, not a cassette header")
        }
        guard let version = event["version"]?.intValue else {
            throw .notACassette(path: path, reason: "the header has no integer `version`")
        }
        if version > CassetteFormat.version { throw .newerVersion(path: path, version: version) }
    }
}
