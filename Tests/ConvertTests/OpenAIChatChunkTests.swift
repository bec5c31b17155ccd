import SSE
import TestSupport
import Testing
import Wire

@testable import Convert

@Suite struct OpenAIChatChunkTests {
    /// The chunk as the transcoder read it before the byte reader: from its tree.
    private func general(_ data: String) throws -> OpenAIChatChunk {
        OpenAIChatChunk(try JSONValue(parsing: data))
    }

    private func readChunk(_ data: String) -> OpenAIChatChunk? {
        OpenAIChatChunk(reading: Array(data.utf8))
    }

    @Test(arguments: OpenAIChatStreamFixtureTests.chunkFiles)
    func everyProviderChunkReadsAsItsTree(path: String) throws {
        var parser = SSEParser()
        let frames = parser.parse(try Fixtures.sseBytes(chunksFile: path)) + parser.finish()
        var readCount = 0
        for frame in frames where frame.data != "[DONE]" {
            let tree = try general(frame.data)
            // A chunk with no id is left to its tree, whose hash may become the message's id.
            guard let id = tree.id, !id.isEmpty else {
                #expect(readChunk(frame.data) == nil, "\(path): \(frame.data)")
                continue
            }
            let read = try #require(readChunk(frame.data), "\(path): not read: \(frame.data)")
            #expect(read == tree, "\(path): \(frame.data)")
            readCount += 1
        }
        #expect(readCount >= 2, "\(path)")
    }

    @Test func aContentChunkReadsItsMembers() throws {
        let chunk = try #require(
            readChunk(
                #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"Hi \"you\" \u00e9"},"logprobs":null,"finish_reason":null}],"usage":null}"#
            ))
        #expect(chunk.id == "c1")
        #expect(chunk.hasChoices)
        #expect(chunk.usage == nil)
        #expect(chunk.choices == [OpenAIChatChunk.Choice(delta: .init(content: "Hi \"you\" é"))])
    }

    /// Shapes off the common path: each is read as its tree reads, or left to the tree.
    static let unusualChunks: [String] = [
        // Spaces everywhere, members reordered, unknown members of every kind.
        ##" { "choices" : [ { "delta" : { "content" : "a" } , "index" : 0 , "x" : [1, 2.5e3, -0, true, false, null, {"k": []}] } ] , "id" : "c" } "##,
        // Usage, cached tokens, and a final chunk with no choices.
        #"{"id":"c","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":4}}}"#,
        #"{"id":"c","choices":[],"usage":{"prompt_tokens":10,"prompt_cache_hit_tokens":6,"prompt_tokens_details":null,"completion_tokens":2.0}}"#,
        #"{"id":"c","choices":[],"usage":{"prompt_tokens":10,"prompt_tokens_details":{"audio_tokens":0,"cached_tokens":null},"prompt_cache_hit_tokens":3}}"#,
        #"{"id":"c","choices":[],"usage":"none"}"#,
        #"{"id":"c","choices":[],"usage":{}}"#,
        // Usage is read whole, as a tree: a repeated member inside reads as the tree reads it.
        #"{"id":"c","choices":[],"usage":{"prompt_tokens_details":{"cached_tokens":1,"cached_tokens":2}}}"#,
        // Finish reasons and named stop sequences (a token id is not one).
        #"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":"END"}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop","stop_reason":7,"matched_stop":"STOP"}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"length","stop_reason":"END"}]}"#,
        // Choices of other indexes, an index written as a double, no index.
        #"{"id":"c","choices":[{"index":1,"delta":{"content":"no"}},{"index":0.0,"delta":{"content":"yes"}},{"delta":{"content":"too"}}]}"#,
        // Reasoning under both names, a signature, a refusal.
        #"{"id":"c","choices":[{"index":0,"delta":{"reasoning_content":null,"reasoning":"think"}}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"reasoning_content":"a","reasoning":"b"}}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"reasoning_details":[{"type":"x"},{"signature":"sig"}]}}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"refusal":"no","content":null}}]}"#,
        // Content as parts, as a number.
        #"{"id":"c","choices":[{"index":0,"delta":{"content":[{"type":"text","text":"a"},{"text":"b"}]}}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"content":5}}]}"#,
        // Tool calls: streamed, whole with arguments as an object, no index, no function.
        #"{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"id":"a","function":{"name":"f","arguments":{"x":1}}},{"id":"b","function":{"name":"g","arguments":null}}]}}]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":2,"function":"text"},{"index":null}]}}]}"#,
        // Members of the wrong type: a delta, choices, tool calls that are not what they should be.
        #"{"id":"c","choices":[{"index":0,"delta":null,"finish_reason":"stop"}]}"#,
        #"{"id":"c","choices":{"index":0}}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"tool_calls":"x"}}]}"#,
        // An escaped key is the key it decodes to.
        #"{"\u0069d":"c","choices":[{"index":0,"delta":{"cont\u0065nt":"x"}}]}"#,
        // Left to the tree: no id, an empty id, an error, a repeated member.
        #"{"choices":[{"index":0,"delta":{"content":"x"}}]}"#,
        #"{"id":"","choices":[{"index":0,"delta":{"content":"x"}}]}"#,
        #"{"id":"c","error":{"message":"boom"}}"#,
        #"{"id":"c","id":"d","choices":[]}"#,
        #"{"id":"c","choices":[{"index":0,"delta":{"content":"a","content":"b"}}]}"#,
        #"{"id":"c","choices":["not an object"]}"#,
    ]

    @Test(arguments: unusualChunks)
    func anUnusualChunkReadsAsItsTreeOrNotAtAll(data: String) throws {
        guard let read = readChunk(data) else { return }
        #expect(read == (try general(data)), "\(data)")
    }

    @Test func whatIsLeftToTheTreeIsNotRead() {
        for data in Self.unusualChunks.suffix(6) { #expect(readChunk(data) == nil, "\(data)") }
        for data in Self.unusualChunks.dropLast(6) { #expect(readChunk(data) != nil, "\(data)") }
    }

    /// Text that is not one valid JSON value is never read, however little of it the reader needs.
    @Test(arguments: [
        #"{"id":"c","choices":[],"x":tru}"#,
        #"{"id":"c","choices":[],"x":01}"#,
        #"{"id":"c","choices":[],"x":"\q"}"#,
        #"{"id":"c","choices":[],"x":[1,]}"#,
        #"{"id":"c","choices":[]} {}"#,
        "{\"id\":\"c\",\"choices\":[],\"x\":\"tab\tin a string\"}",
        #"{"id":"c","choices":[]"#,
    ])
    func invalidJSONIsNotRead(data: String) throws {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: data) }
        #expect(readChunk(data) == nil)
    }

    @Test func aStreamReadFromBytesConvertsAsItsTrees() throws {
        // The same chunks with a space before each, which the converter parses as trees.
        let path = try Fixtures.path("providers/openai-chat/deepseek-tool-call.chunks.txt")
        let payloads = try Fixtures.chunkPayloads(atPath: path)
        let read = convertStream(Fixtures.sseBytes(payloads: payloads, framing: .openAIChat))
        let parsed = convertStream(Fixtures.sseBytes(payloads: payloads.map { " " + $0 }, framing: .openAIChat))
        #expect(read == parsed)
        #expect(read.count > 10)
    }
}
