import Cassette
import Foundation
import SSE
import Wire

/// `verify --update`: rewrites a cassette's recorded expectations (the
/// `upstream_request` body, URL and key header, the `client_response`
/// status, `content-type` and body, the `client_event` lines) from today's
/// output, so the next run passes.
/// Everything else in the file (upstream chunks, timings, other exchanges)
/// is kept as it was.
public enum CassetteUpdate {
    /// The lines of one file with the differing exchanges' expectations
    /// replaced, each in the place of the line it replaces. Exchanges that
    /// matched or were skipped are untouched.
    public static func updatedEvents(_ events: [CassetteEvent], with results: [ExchangeVerification]) -> [CassetteEvent]
    {
        var replayed: [String: ExchangeVerification.Replayed] = [:]
        for result in results where result.skipped == nil && !result.differences.isEmpty {
            replayed[result.exchangeID] = result.replayed
        }
        guard !replayed.isEmpty else { return events }
        var output: [CassetteEvent] = []
        output.reserveCapacity(events.count)
        var oldFrameCounts: [String: Int] = [:]
        for event in events where event.knownKind == .clientEvent {
            if let id = event.exchange { oldFrameCounts[id, default: 0] += 1 }
        }
        var framesWritten = Set<String>()
        var oldFramesSeen: [String: Int] = [:]
        var requestLinesSeen: [String: Int] = [:]
        func append(_ frames: ArraySlice<SSEEvent>, of id: String, at time: Int64) {
            for frame in frames { output.append(.clientEvent(exchange: id, timeMicros: time, event: frame)) }
        }
        /// Today's frames, all at `fallbackTime`, for an exchange recorded
        /// without any.
        func writeFrames(of id: String, fallbackTime: Int64) {
            guard let frames = replayed[id]?.clientEvents, framesWritten.insert(id).inserted else { return }
            append(frames[...], of: id, at: fallbackTime)
        }
        for var event in events {
            guard let id = event.exchange, let today = replayed[id] else {
                output.append(event)
                continue
            }
            switch event.knownKind {
            case .upstreamRequest:
                // One line per attempt: the earlier ones are the fallbacks
                // given up, the last the one that answered.
                let leg = requestLinesSeen[id, default: 0]
                requestLinesSeen[id] = leg + 1
                if leg < today.earlierLegRequestBodies.count {
                    replaceBody(of: &event, with: today.earlierLegRequestBodies[leg])
                } else {
                    if let body = today.upstreamRequestBody { replaceBody(of: &event, with: body) }
                    if let url = today.upstreamURL { event["url"] = .string(url) }
                    if let header = today.upstreamKeyHeader {
                        replaceHeader(of: &event, header.name, with: header.value)
                    }
                }
                output.append(event)
            case .clientResponse:
                if let status = today.clientStatus { event["status"] = .int(Int64(status)) }
                if let body = today.clientResponseBody { replaceBody(of: &event, with: body) }
                if let type = today.clientContentType { replaceHeader(of: &event, "content-type", with: type) }
                output.append(event)
                // A recording with no frames gets today's right after the head.
                if oldFrameCounts[id] == nil { writeFrames(of: id, fallbackTime: event.timeMicros ?? 0) }
            case .clientEvent:
                guard let frames = today.clientEvents else {
                    output.append(event)
                    continue
                }
                // Today's frame k takes the place (and time) of recorded
                // frame k, so the lines stay in the order they happened,
                // between the upstream chunks that made them; frames past
                // the recorded count follow the last recorded one.
                let index = oldFramesSeen[id, default: 0]
                oldFramesSeen[id] = index + 1
                let time = event.timeMicros ?? 0
                if index < frames.count { append(frames[index...index], of: id, at: time) }
                if index == oldFrameCounts[id, default: 0] - 1 {
                    if frames.count > index + 1 { append(frames[(index + 1)...], of: id, at: time) }
                    framesWritten.insert(id)
                }
            case .end:
                writeFrames(of: id, fallbackTime: event.timeMicros ?? 0)
                output.append(event)
            default:
                output.append(event)
            }
        }
        return output
    }

    /// Stores `body` where the line kept its body, in its place.
    static func replaceBody(of event: inout CassetteEvent, with body: JSONValue) {
        if event["body"] != nil {
            event["body"] = body
            return
        }
        event.fields.removeValue(forKey: "body_text")
        event.fields.removeValue(forKey: "body_b64")
        event["body"] = body
    }

    /// Sets header `name` (matched in any case, keeping the recorded
    /// spelling and place) to `value`, or adds it last.
    static func replaceHeader(of event: inout CassetteEvent, _ name: String, with value: String) {
        var headers = event["headers"]?.objectValue ?? JSONObject()
        let recordedName = headers.members.first { $0.key.lowercased() == name }?.key ?? name
        headers[recordedName] = .string(value)
        event["headers"] = .object(headers)
    }

    /// Writes `events` to `path` in the file's own format (`.jsonl.lz4` or
    /// `.jsonl`), through a temporary file renamed over the original, so a
    /// failure leaves the original whole. The file keeps the original's
    /// permissions: a private recording stays private, a shared corpus
    /// file stays readable (a new cassette is its owner's only).
    public static func rewrite(path: String, header: CassetteEvent?, events: [CassetteEvent]) throws {
        let url = URL(filePath: path)
        let temporary = url.deletingLastPathComponent().appending(path: ".update-\(getpid())-" + url.lastPathComponent)
        do {
            let writer = try CassetteWriter(file: temporary.path, header: header)
            for event in events { try writer.write(event) }
            try writer.close()
            var original = stat()
            if stat(path, &original) == 0 { chmod(temporary.path, original.st_mode & 0o7777) }
            // rename(2) replaces the original in one step.
            guard rename(temporary.path, path) == 0 else {
                throw RewriteError(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// A rewritten cassette could not replace the original.
    public struct RewriteError: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): cannot replace the file: \(reason)" }
    }
}
