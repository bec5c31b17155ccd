import Wire

extension StubReply {
    /// This reply with `relocation` applied to the text it carries, so a
    /// reply recorded in one working directory names the replaying one
    /// (Claude Code then writes the file where it now runs, and its next
    /// request carries the new path, which matches once normalised).
    ///
    /// Chunk boundaries and gaps are kept. A server-sent event stream is
    /// rewritten event by event: the string values at the same JSON pointer
    /// in successive events (a tool call's `partial_json` or `arguments`
    /// deltas, a text's deltas) are treated as one text cut in pieces,
    /// because a recorded stream may split a path over several events;
    /// only the events that change are serialised again. A JSON body has
    /// its string values rewritten; any other body its bytes.
    public func relocated(by relocation: PathRelocation) -> StubReply {
        guard !relocation.isEmpty, !chunks.isEmpty else { return self }
        let body = Array(chunks.map(\.bytes).joined())
        let isEventStream = headers.contains {
            $0.name.lowercased() == "content-type" && $0.value.lowercased().contains("text/event-stream")
        }
        let original = isEventStream ? Self.events(in: body) : [body]
        let relocated: [[UInt8]]
        if isEventStream {
            relocated = Self.relocatedEvents(original, by: relocation)
        } else if let json = try? JSONValue(parsing: body) {
            let moved = json.mappingStrings(relocation.apply(to:))
            relocated = [moved == json ? body : moved.serialized()]
        } else {
            relocated = relocation.apply(toFragments: [body])
        }
        guard relocated != original else { return self }
        var reply = self
        reply.chunks = Self.recut(chunks, from: original, to: relocated)
        return reply
    }

    /// The body cut after each blank line (an event's end), terminators
    /// kept; the whole body as one piece when it is not an event stream.
    static func events(in body: [UInt8]) -> [[UInt8]] {
        var events: [[UInt8]] = []
        var start = 0
        var lineStart = 0
        for index in body.indices where body[index] == UInt8(ascii: "\n") {
            let line = body[lineStart..<index]
            lineStart = index + 1
            if line.isEmpty || line == [UInt8(ascii: "\r")] {
                events.append(Array(body[start..<lineStart]))
                start = lineStart
            }
        }
        if start < body.count { events.append(Array(body[start...])) }
        return events
    }

    /// The events with relocated string values, the pieces of one pointer
    /// relocated together; unchanged events keep their bytes.
    private static func relocatedEvents(_ events: [[UInt8]], by relocation: PathRelocation) -> [[UInt8]] {
        let payloads = events.map(EventPayload.init)
        var leaves = payloads.map { $0.json?.stringLeaves() ?? [] }
        var pieces: [String: [(event: Int, leaf: Int)]] = [:]
        var order: [String] = []
        for (event, eventLeaves) in leaves.enumerated() {
            for (leaf, entry) in eventLeaves.enumerated() {
                if pieces[entry.pointer] == nil { order.append(entry.pointer) }
                pieces[entry.pointer, default: []].append((event, leaf))
            }
        }
        var changed = Set<Int>()
        for pointer in order {
            let places = pieces[pointer] ?? []
            let texts = places.map { Array(leaves[$0.event][$0.leaf].value.utf8) }
            let relocated = relocation.apply(toFragments: texts)
            for (index, place) in places.enumerated() where relocated[index] != texts[index] {
                leaves[place.event][place.leaf].value = String(decoding: relocated[index], as: UTF8.self)
                changed.insert(place.event)
            }
        }
        return events.indices.map { index in
            guard changed.contains(index), let json = payloads[index].json else { return events[index] }
            var values = leaves[index].makeIterator()
            let relocated = json.mappingStrings { values.next()?.value ?? $0 }
            return payloads[index].replacingPayload(with: relocated.serialized())
        }
    }

    /// The relocated events cut where `chunks` cut the original ones: a
    /// boundary inside an event that changed length keeps its distance from
    /// the event's start, at most the event's new length. Pieces left empty
    /// are dropped, their gaps added to the next one.
    private static func recut(_ chunks: [Chunk], from original: [[UInt8]], to relocated: [[UInt8]]) -> [Chunk] {
        let body = Array(relocated.joined())
        var oldStarts: [Int] = []
        var newStarts: [Int] = []
        var oldOffset = 0
        var newOffset = 0
        for (old, new) in zip(original, relocated) {
            oldStarts.append(oldOffset)
            newStarts.append(newOffset)
            oldOffset += old.count
            newOffset += new.count
        }
        func map(_ offset: Int) -> Int {
            guard offset < oldOffset, let event = oldStarts.lastIndex(where: { $0 <= offset }) else {
                return body.count
            }
            return newStarts[event] + min(offset - oldStarts[event], relocated[event].count)
        }
        var result: [Chunk] = []
        var start = 0
        var carriedGap: Int64 = 0
        for chunk in chunks {
            let end = start + chunk.bytes.count
            let (from, to) = (map(start), map(end))
            // Held at the limit: the gaps are a cassette's numbers.
            carriedGap = carriedGap.addingSaturated(chunk.gapMicros)
            if from < to {
                result.append(Chunk(gapMicros: carriedGap, bytes: Array(body[from..<to])))
                carriedGap = 0
            }
            start = end
        }
        return result
    }
}

/// One event's single `data:` line parsed as JSON, and how to put a new
/// payload in its place.
private struct EventPayload {
    let event: [UInt8]
    /// Where the payload sits in ``event``; nil without exactly one data line.
    let payload: Range<Int>?
    let json: JSONValue?

    init(_ event: [UInt8]) {
        self.event = event
        var found: [Range<Int>] = []
        var lineStart = 0
        for index in event.indices where event[index] == UInt8(ascii: "\n") || index == event.count - 1 {
            var lineEnd = event[index] == UInt8(ascii: "\n") ? index : index + 1
            if lineEnd > lineStart, event[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
            let line = event[lineStart..<lineEnd]
            if line.starts(with: "data:".utf8) {
                var start = lineStart + 5
                if start < lineEnd, event[start] == UInt8(ascii: " ") { start += 1 }
                found.append(start..<lineEnd)
            }
            lineStart = index + 1
        }
        payload = found.count == 1 ? found[0] : nil
        json = payload.flatMap { try? JSONValue(parsing: Array(event[$0])) }
    }

    func replacingPayload(with bytes: [UInt8]) -> [UInt8] {
        guard let payload else { return event }
        return Array(event[..<payload.lowerBound]) + bytes + Array(event[payload.upperBound...])
    }
}
