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

    /// `2026-11-20T08:23:14.123Z`: UTC, milliseconds; the form of every
    /// time in a cassette. (Foundation's ISO 8601 style took several
    /// microseconds a call, on every recorded exchange.)
    public static func iso8601(_ date: Date) -> String {
        let (time, millisecond) = utc(date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", time.tm_year + 1900, time.tm_mon + 1, time.tm_mday,
            time.tm_hour, time.tm_min, time.tm_sec, millisecond)
    }

    /// `20261120-082314`, the start-time part of a cassette file name.
    static func fileStamp(_ date: Date) -> String {
        let (time, _) = utc(date)
        return String(
            format: "%04d%02d%02d-%02d%02d%02d", time.tm_year + 1900, time.tm_mon + 1, time.tm_mday, time.tm_hour,
            time.tm_min, time.tm_sec)
    }

    private static func utc(_ date: Date) -> (time: tm, millisecond: Int32) {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millisecond = Int32(min(999, max(0, ((interval - Double(seconds)) * 1000).rounded(.down))))
        var time = tm()
        gmtime_r(&seconds, &time)
        return (time, millisecond)
    }
}
