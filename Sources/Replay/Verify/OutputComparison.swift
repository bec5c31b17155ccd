import SSE
import Wire

/// Compares what today's converters produce with what was recorded, at a
/// ``VerifyLevel``. Pointers are relative to the compared document: a body,
/// the list of stream events (`/3/data/delta/text`, `/3/event`), or the
/// folded message at `semantic` level.
struct OutputComparison {
    var level: VerifyLevel
    var ignoring: [JSONPointerPattern]

    /// A JSON body (request or non-streamed response).
    func compare(body expected: JSONValue?, _ actual: JSONValue?) -> [JSONDifference] {
        if level == .bytes {
            guard expected?.serialized() != actual?.serialized() else { return [] }
            return [JSONDifference(pointer: "", expected: expected, actual: actual)]
        }
        return JSONDiff(ignoring: ignoring).differences(expected: expected, actual: actual)
    }

    /// Two event streams.
    func compare(events expected: [SSEEvent], _ actual: [SSEEvent]) -> [JSONDifference] {
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
            var differences: [JSONDifference] = []
            let diff = JSONDiff(ignoring: ignoring)
            for index in 0..<max(expected.count, actual.count) {
                guard index < expected.count, index < actual.count else {
                    differences.append(
                        JSONDifference(
                            pointer: "/\(index)", expected: expected.element(at: index).map(Self.json),
                            actual: actual.element(at: index).map(Self.json)))
                    continue
                }
                if expected[index].event != actual[index].event {
                    differences.append(
                        JSONDifference(
                            pointer: "/\(index)/event", expected: expected[index].event.map(JSONValue.string) ?? .null,
                            actual: actual[index].event.map(JSONValue.string) ?? .null))
                }
                for difference in diff.differences(
                    expected: Self.data(expected[index]), actual: Self.data(actual[index]))
                {
                    differences.append(
                        JSONDifference(
                            pointer: "/\(index)/data" + difference.pointer, expected: difference.expected,
                            actual: difference.actual))
                }
            }
            return differences
        case .semantic:
            return JSONDiff(ignoring: ignoring).differences(
                expected: AnthropicStreamFolder.fold(expected), actual: AnthropicStreamFolder.fold(actual))
        }
    }

    /// Event data as JSON, or as a string when it is not JSON.
    static func data(_ event: SSEEvent) -> JSONValue {
        (try? JSONValue(parsing: event.data)) ?? .string(event.data)
    }

    static func json(_ event: SSEEvent) -> JSONValue {
        ["event": event.event.map(JSONValue.string) ?? .null, "data": data(event)]
    }
}
