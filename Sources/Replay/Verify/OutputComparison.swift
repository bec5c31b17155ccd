import SSE
import Wire

/// Compares what today's converters produce with what was recorded, at a
/// ``VerifyLevel``. Pointers are relative to the compared document: a body,
/// the list of stream events (`/3/data/delta/text`, `/3/event`), or the
/// folded message at `semantic` level.
public struct OutputComparison: Sendable {
    public var level: VerifyLevel
    public var ignoring: [JSONPointerPattern]

    public init(level: VerifyLevel, ignoring: [JSONPointerPattern]) {
        self.level = level
        self.ignoring = ignoring
    }

    /// A JSON body (request or non-streamed response).
    public func compare(body expected: JSONValue?, _ actual: JSONValue?) -> [JSONDifference] {
        if level == .bytes {
            guard expected?.serialized() != actual?.serialized() else { return [] }
            return [JSONDifference(pointer: "", expected: expected, actual: actual)]
        }
        return JSONDiff(ignoring: ignoring).differences(expected: expected, actual: actual)
    }

    /// Two event streams.
    public func compare(events expected: [SSEEvent], _ actual: [SSEEvent]) -> [JSONDifference] {
        switch level {
        case .bytes:
            var differences: [JSONDifference] = []
            for index in 0..<max(expected.count, actual.count) {
                let left = expected.element(at: index)?.encoded()
                let right = actual.element(at: index)?.encoded()
                guard left != right else { continue }
                differences.append(
                    JSONDifference(
                        pointer: "/\(index)", expected: left.map { .string(String(decoding: $0, as: UTF8.self)) },
                        actual: right.map { .string(String(decoding: $0, as: UTF8.self)) }))
            }
            return differences
        case .events:
            return compareAligned(expected, actual)
        case .semantic:
            return JSONDiff(ignoring: ignoring).differences(
                expected: AnthropicStreamFolder.fold(expected), actual: AnthropicStreamFolder.fold(actual))
        }
    }

    /// Events lined up by name, so an extra or missing event is one
    /// difference; lined-up events are compared by data. An extra event's
    /// pointer is the index it would have in the recording. Streams too
    /// different to line up are compared index by index.
    private func compareAligned(_ expected: [SSEEvent], _ actual: [SSEEvent]) -> [JSONDifference] {
        let pairs =
            SequenceAlignment.align(expected.map(\.event), actual.map(\.event))
            ?? (0..<max(expected.count, actual.count)).map {
                .init(expected: $0 < expected.count ? $0 : nil, actual: $0 < actual.count ? $0 : nil)
            }
        let diff = JSONDiff(ignoring: ignoring)
        var differences: [JSONDifference] = []
        var position = 0
        for pair in pairs {
            switch (pair.expected, pair.actual) {
            case (let index?, let other?):
                position = index + 1
                if expected[index].event != actual[other].event {
                    differences.append(
                        JSONDifference(
                            pointer: "/\(index)/event", expected: expected[index].event.map(JSONValue.string) ?? .null,
                            actual: actual[other].event.map(JSONValue.string) ?? .null))
                }
                for difference in diff.differences(
                    expected: Self.data(expected[index]), actual: Self.data(actual[other]))
                {
                    differences.append(
                        JSONDifference(
                            pointer: "/\(index)/data" + difference.pointer, expected: difference.expected,
                            actual: difference.actual))
                }
            case (let index?, nil):
                position = index + 1
                differences.append(
                    JSONDifference(pointer: "/\(index)", expected: Self.json(expected[index]), actual: nil))
            case (nil, let other?):
                differences.append(
                    JSONDifference(pointer: "/\(position)", expected: nil, actual: Self.json(actual[other])))
            case (nil, nil):
                break
            }
        }
        return differences
    }

    /// Event data as JSON, or as a string when it is not JSON.
    static func data(_ event: SSEEvent) -> JSONValue {
        (try? JSONValue(parsing: event.data)) ?? .string(event.data)
    }

    static func json(_ event: SSEEvent) -> JSONValue {
        ["event": event.event.map(JSONValue.string) ?? .null, "data": data(event)]
    }
}
