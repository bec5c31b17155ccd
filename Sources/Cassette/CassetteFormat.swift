import Foundation
import Wire

/// Constants of the cassette format and of the files this library writes.
public enum CassetteFormat {
    /// The format version this library writes and the newest it reads.
    public static let version = 1

    /// Switchboard's version, as `proxy status` reports it.
    public static let softwareVersion = "0.1.0"

    /// The `writer` named in the header line of new cassettes.
    public static let writer = "switchboard \(softwareVersion)"

    /// The extension of compressed cassettes.
    public static let compressedExtension = ".jsonl.lz4"

    /// The extension of plain cassettes.
    public static let plainExtension = ".jsonl"

    /// How deeply a line may nest: one level more than the proxy accepts in a
    /// request, since a line wraps the body (or an SSE frame's data) in its
    /// own object. With the same limit, one client request nested 512 deep
    /// made the whole file unreadable.
    public static let lineNestingDepth = JSONValue.maximumNestingDepth + 1

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
    /// time in a cassette. Written digit by digit: Foundation's ISO 8601
    /// style took several microseconds a call, and `String(format:)` was
    /// still a tenth of the writer thread's time on small exchanges.
    public static func iso8601(_ date: Date) -> String {
        let (time, millisecond) = utc(date)
        var text = calendarDate(time, separator: UInt8(ascii: "-"))
        text.append(UInt8(ascii: "T"))
        appendClock(time, separator: UInt8(ascii: ":"), to: &text)
        text.append(UInt8(ascii: "."))
        appendDigits(Int(millisecond), count: 3, to: &text)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// `20261120-082314`, the start-time part of a cassette file name.
    static func fileStamp(_ date: Date) -> String {
        let (time, _) = utc(date)
        var text = calendarDate(time, separator: nil)
        text.append(UInt8(ascii: "-"))
        appendClock(time, separator: nil, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    private static func calendarDate(_ time: tm, separator: UInt8?) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(24)
        appendDigits(Int(time.tm_year) + 1900, count: 4, to: &text)
        if let separator { text.append(separator) }
        appendDigits(Int(time.tm_mon) + 1, count: 2, to: &text)
        if let separator { text.append(separator) }
        appendDigits(Int(time.tm_mday), count: 2, to: &text)
        return text
    }

    private static func appendClock(_ time: tm, separator: UInt8?, to text: inout [UInt8]) {
        appendDigits(Int(time.tm_hour), count: 2, to: &text)
        if let separator { text.append(separator) }
        appendDigits(Int(time.tm_min), count: 2, to: &text)
        if let separator { text.append(separator) }
        appendDigits(Int(time.tm_sec), count: 2, to: &text)
    }

    /// `value` (not negative) in decimal, zero-padded to `count` digits
    /// (`%0Nd`); a value with more digits keeps them all.
    private static func appendDigits(_ value: Int, count: Int, to text: inout [UInt8]) {
        let value = max(0, value)
        var divisor = 1
        var width = 1
        while width < count || value / divisor >= 10 {
            divisor *= 10
            width += 1
        }
        var rest = value
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
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
