import Convert
import Testing
import Wire

/// Anthropic's server-held threads (`thread`, the Anthropic SDK's tool
/// runner's default): an Anthropic upstream keeps them, any other route
/// refuses them in the shape that makes the SDK re-send the conversation.
@Suite struct ServerThreadTests {
    /// A tool runner's second turn: only the new tool result, continuing
    /// the reply the server holds.
    static let continued: JSONValue = [
        "model": "m", "max_tokens": 100,
        "thread": ["type": "continue", "previous_message_id": "msg_x"],
        "messages": [
            ["role": "user", "content": [["type": "tool_result", "tool_use_id": "call_0_x", "content": "21C"]]]
        ],
    ]

    static func upstream(_ body: JSONValue, route: RouteOptions) throws -> ConvertedRequest {
        try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: body).upstreamBody(route: route)
    }

    /// The refusal's body as an Anthropic client gets it.
    static func refusal(_ body: JSONValue, route: RouteOptions) throws -> (status: Int, body: JSONValue)? {
        do throws(APIError) {
            _ = try ClientRequest(endpoint: ClientEndpoint(dialect: .anthropic), body: body).upstreamBody(route: route)
            return nil
        } catch {
            return (error.status(in: .anthropic), try JSONValue(parsing: error.clientBody(in: .anthropic)))
        }
    }

    static func expectedRefusal(upstream: String) -> JSONValue {
        [
            "type": "error",
            "error": [
                "type": "invalid_request_error",
                "message": .string(
                    "thread: server-held threads are not supported on this route, whose \(upstream) upstream "
                        + "keeps no conversation; send the full conversation without thread"),
                "details": ["error_code": "thread_unsupported_request"],
            ],
        ]
    }

    @Test(arguments: [
        (TestRoutes.openAI, "OpenAI Chat Completions"), (TestRoutes.responses, "OpenAI Responses"),
        (TestRoutes.gemini, "Gemini"),
    ])
    func aContinuedThreadIsRefusedOnAConvertedRoute(route: RouteOptions, upstream: String) throws {
        let refused = try #require(try Self.refusal(Self.continued, route: route))
        #expect(refused.status == 400)
        #expect(refused.body == Self.expectedRefusal(upstream: upstream))
    }

    /// The first turn creates the thread; refused, the SDK never threads.
    /// An empty `continue` (after a `pause_turn`) gets the same refusal,
    /// not "at least one message".
    @Test func aCreatedOrEmptyContinuedThreadIsRefusedToo() throws {
        guard case .object(var created) = Self.continued else { return }
        created["thread"] = ["type": "create"]
        #expect(
            try Self.refusal(.object(created), route: TestRoutes.openAI)?.body
                == Self.expectedRefusal(upstream: "OpenAI Chat Completions"))
        var empty = created
        empty["thread"] = ["type": "continue", "previous_message_id": "msg_x"]
        empty["messages"] = []
        #expect(
            try Self.refusal(.object(empty), route: TestRoutes.gemini)?.body
                == Self.expectedRefusal(upstream: "Gemini"))
    }

    /// A null thread is none.
    @Test func aNullThreadIsNone() throws {
        guard case .object(var body) = Self.continued else { return }
        body["thread"] = .null
        body["messages"] = [["role": "user", "content": "Hi"]]
        let converted = try Self.upstream(.object(body), route: TestRoutes.openAI)
        #expect(
            converted.body.description
                == #"{"model":"deepseek-chat","messages":[{"role":"user","content":"Hi"}],"max_tokens":100}"#)
    }

    /// Anthropic keeps the thread: it goes up as sent, an empty
    /// `continue` included.
    @Test func anAnthropicRouteKeepsTheThread() throws {
        let converted = try Self.upstream(Self.continued, route: TestRoutes.anthropic)
        #expect(
            converted.body.description
                == #"{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"thread":{"type":"continue","previous_message_id":"msg_x"},"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"call_0_x","content":"21C"}]}]}"#
        )
        guard case .object(var empty) = Self.continued else { return }
        empty["messages"] = []
        #expect(
            try Self.upstream(.object(empty), route: TestRoutes.anthropic).body.description
                == #"{"model":"claude-sonnet-4-5-20250929","max_tokens":100,"thread":{"type":"continue","previous_message_id":"msg_x"},"messages":[]}"#
        )
    }

    @Test func aThreadThatIsNoObjectIsRefused() throws {
        guard case .object(var body) = Self.continued else { return }
        body["thread"] = "continue"
        let refused = try #require(try Self.refusal(.object(body), route: TestRoutes.anthropic))
        #expect(
            refused.body
                == [
                    "type": "error",
                    "error": ["type": "invalid_request_error", "message": "thread: expected an object, got string"],
                ])
    }

    /// Anthropic's `thread_not_found` reaches the client, whose SDK then
    /// re-sends the conversation under a new thread.
    @Test func anAnthropicUpstreamsErrorDetailsReachTheClient() throws {
        let upstream =
            #"{"type":"error","error":{"type":"invalid_request_error","message":"no thread","details":{"error_code":"thread_not_found"}}}"#
        let error = UpstreamErrorMapper.map(
            status: 400, body: Array(upstream.utf8), retryAfter: nil, upstream: "anthropic", dialect: .anthropic)
        #expect(
            try JSONValue(parsing: error.clientBody(in: .anthropic))
                == [
                    "type": "error",
                    "error": [
                        "type": "invalid_request_error",
                        "message": "upstream anthropic returned HTTP 400: no thread (invalid_request_error)",
                        "details": ["error_code": "thread_not_found"],
                    ],
                ])
    }
}
