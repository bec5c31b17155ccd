import Foundation
import Wire

/// Constants of the cassette format and of the files this library writes.
public enum CassetteFormat {
    /// The format version this library writes and the newest it reads.
    public static let version = 1

    /// The `writer` named in the header line of new cassettes.
    public static let writer = "switchboard 0.1.0"

    /// The extension of compressed cassettes.
    public static let compressedExtension = ".jsonl.lz4"

    /// The extension of plain cassettes.
    public static let plainExtension = ".jsonl"

    /// The first line of a cassette: `{"kind":"cassette","version":1,
    /// "writer":...,"started":<ISO 8601 UTC>,"pid":N}`.
    public static func header(started: Date, pid: Int32, writer: String = writer) -> CassetteEvent {
        CassetteEvent(
            .cassette, exchange: nil, timeMicros: nil,
            fields: [
                "version": .int(Int64(version)),
                "writer": .string(writer),
                "started": .string(iso8601(started)),
                "pid": .int(Int64(pid)),
            ])
    }

    /// `2026-11-20T08:23:14.123Z`.
    static func iso8601(_ date: Date) -> String {
        let parts = utcParts(date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year, parts.month, parts.day, parts.hour,
            parts.minute, parts.second, parts.millisecond)
    }

    /// `20261120-082314`, the start-time part of a cassette file name.
    static func fileStamp(_ date: Date) -> String {
        let parts = utcParts(date)
        return String(
            format: "%04d%02d%02d-%02d%02d%02d", parts.year, parts.month, parts.day, parts.hour, parts.minute,
            parts.second)
    }

    private static func utcParts(_ date: Date) -> (
        year: Int32, month: Int32, day: Int32, hour: Int32, minute: Int32, second: Int32, millisecond: Int32
    ) {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millisecond = Int32(min(999, max(0, ((interval - Double(seconds)) * 1000).rounded(.down))))
        var broken = tm()
        gmtime_r(&seconds, &broken)
        return (
            broken.tm_year + 1900, broken.tm_mon + 1, broken.tm_mday, broken.tm_hour, broken.tm_min, broken.tm_sec,
            millisecond
        )
    }
}
