import Replay
import SSE
import Testing
import Wire

@Suite struct JSONDiffTests {
    let diff = JSONDiff()

    @Test func keyOrderIsIgnored() throws {
        let a = try JSONValue(parsing: #"{"a":1,"b":{"c":[1,2],"d":"x"}}"#)
        let b = try JSONValue(parsing: #"{"b":{"d":"x","c":[1,2]},"a":1}"#)
        #expect(diff.differences(expected: a, actual: b).isEmpty)
    }

    @Test func differencesArePointerPathsWithBothValues() throws {
        let expected = try JSONValue(parsing: #"{"model":"m","messages":[{"role":"user","content":"hi"}],"gone":true}"#)
        let actual = try JSONValue(
            parsing: #"{"model":"n","messages":[{"role":"user","content":"ho"},{"role":"x"}],"new/key":1}"#)
        let found = diff.differences(expected: expected, actual: actual)
        #expect(
            found == [
                JSONDifference(pointer: "/model", expected: "m", actual: "n"),
                JSONDifference(pointer: "/messages/0/content", expected: "hi", actual: "ho"),
                JSONDifference(pointer: "/messages/1", expected: nil, actual: ["role": "x"]),
                JSONDifference(pointer: "/gone", expected: true, actual: nil),
                JSONDifference(pointer: "/new~1key", expected: nil, actual: 1),
            ])
    }

    @Test func integersAndDoublesDiffer() {
        #expect(
            diff.differences(expected: ["n": 1], actual: ["n": 1.0]) == [.init(pointer: "/n", expected: 1, actual: 1.0)]
        )
    }

    @Test func typeChangeIsOneDifferenceAtThatPath() {
        #expect(
            diff.differences(expected: ["a": ["b": 1]], actual: ["a": [1]])
                == [.init(pointer: "/a", expected: ["b": 1], actual: [1])])
    }

    @Test func ignoredPathsWithWildcards() throws {
        let expected = try JSONValue(
            parsing: #"{"id":"a","content":[{"id":"t1","text":"x"},{"id":"t2","text":"y"}],"deep":{"x":{"created":1}}}"#
        )
        let actual = try JSONValue(
            parsing: #"{"id":"b","content":[{"id":"t9","text":"x"},{"id":"t8","text":"z"}],"deep":{"x":{"created":2}}}"#
        )
        let ignoring = JSONDiff(ignoring: ["/id", "/content/*/id", "/**/created"].map(JSONPointerPattern.init))
        #expect(
            ignoring.differences(expected: expected, actual: actual) == [
                .init(pointer: "/content/1/text", expected: "y", actual: "z")
            ])
    }

    /// The times the proxy's OpenAI answers carry differ on every run: a
    /// Chat body's and chunk's `created`, a Responses body's `created_at`
    /// and its stream's `response` objects'.
    @Test func theProxysAnswerTimesAreVolatile() {
        let diff = JSONDiff(ignoring: VolatileFields.responses)
        #expect(diff.differences(expected: ["created": 1, "x": 1], actual: ["created": 2, "x": 1]).isEmpty)
        #expect(diff.differences(expected: ["created_at": 1], actual: ["created_at": 2]).isEmpty)
        #expect(
            diff.differences(
                expected: ["type": "response.created", "response": ["created_at": 1]],
                actual: ["type": "response.created", "response": ["created_at": 2]]
            ).isEmpty)
    }

    @Test func patternMatching() {
        #expect(JSONPointerPattern("/a/*/b").matches(["a", "3", "b"]))
        #expect(!JSONPointerPattern("/a/*/b").matches(["a", "b"]))
        #expect(JSONPointerPattern("/**/id").matches(["id"]))
        #expect(JSONPointerPattern("/**/id").matches(["x", "0", "id"]))
        #expect(!JSONPointerPattern("/**/id").matches(["x", "idx"]))
        #expect(JSONPointerPattern("/a~1b/c~0d").segments == ["a/b", "c~d"])
        #expect(JSONPointerPattern("/a~1b/c~0d").description == "/a~1b/c~0d")
        // A run of ** is one (forty thousand recursed past the stack).
        #expect(JSONPointerPattern("/**/**/a/**/**/**").segments == ["**", "a", "**"])
        let long = JSONPointerPattern(String(repeating: "/**", count: 40000) + "/id")
        #expect(long.segments == ["**", "id"])
        #expect(long.matches(["x", "id"]))
    }

    @Test func removingDropsMatchedMembersForMatching() throws {
        let body = try JSONValue(parsing: #"{"metadata":{"user_id":"session-1","other":1},"model":"m"}"#)
        #expect(body.removing(VolatileFields.requests) == ["metadata": ["other": 1], "model": "m"])
    }
}

@Suite struct EventAlignmentTests {
    func events(_ names: [String]) -> [SSEEvent] {
        names.map { SSEEvent(event: $0, data: #"{"type":"\#($0)"}"#) }
    }

    @Test func anInsertedEventIsOneDifference() {
        let comparison = OutputComparisonProbe.events(
            expected: events(["message_start", "content_block_start", "content_block_delta", "message_stop"]),
            actual: events(["message_start", "ping", "content_block_start", "content_block_delta", "message_stop"]))
        #expect(
            comparison == [
                JSONDifference(pointer: "/1", expected: nil, actual: ["event": "ping", "data": ["type": "ping"]])
            ])
    }

    @Test func aMissingEventIsOneDifference() {
        let comparison = OutputComparisonProbe.events(
            expected: events(["a", "b", "c", "d"]), actual: events(["a", "c", "d"]))
        #expect(
            comparison == [JSONDifference(pointer: "/1", expected: ["event": "b", "data": ["type": "b"]], actual: nil)])
    }

    @Test func alignmentsOfEveryShape() {
        let cases: [([String], [String])] = [
            ([], []), (["a"], []), ([], ["a"]), (["a", "b"], ["b", "a"]), (["a", "b", "c"], ["x", "b", "y"]),
            (["a", "a", "b"], ["a", "b", "b"]),
        ]
        for (left, right) in cases {
            let differences = OutputComparisonProbe.events(expected: events(left), actual: events(right))
            let removed = differences.count { $0.actual == nil }
            let added = differences.count { $0.expected == nil }
            // Every unmatched event appears once; matched ones never do.
            #expect(left.count - removed == right.count - added, "\(left) vs \(right)")
        }
    }
}

enum OutputComparisonProbe {
    static func events(expected: [SSEEvent], actual: [SSEEvent]) -> [JSONDifference] {
        OutputComparison(level: .events, ignoring: []).compare(events: expected, actual)
    }
}
