import Foundation
import TestSupport
import Testing
import Wire

/// OpenAI's answers say when they were made (`created`, `created_at`, Unix
/// seconds), and clients show or sort by it: a converted answer says when
/// its request came, not 0 or a fixed date.
@Suite struct OpenAICreatedTimeTests {
    static func now() -> Int { Int(Date().timeIntervalSince1970) }

    static let chat: JSONValue = ["model": "claude", "messages": [["role": "user", "content": "hi"]]]
    static let responses: JSONValue = ["model": "claude", "input": "hi"]

    @Test func convertedAnswersCarryTheRequestsTime() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let before = Self.now()
            let chat = try await proxy.post("/v1/chat/completions", json: Self.chat)
            let response = try await proxy.post("/v1/responses", json: Self.responses)
            let after = Self.now()
            #expect(chat.status == 200)
            #expect(response.status == 200)
            let created = try #require(chat.json?["created"]?.intValue)
            #expect((before...after).contains(created), "\(created) not in \(before)...\(after)")
            let createdAt = try #require(response.json?["created_at"]?.intValue)
            #expect((before...after).contains(createdAt), "\(createdAt) not in \(before)...\(after)")
        }
    }

    /// Every chunk, and every `response` object of a Responses stream.
    @Test func convertedStreamsCarryTheRequestsTime() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .eventStream(UpstreamBodies.anthropicStream)
            let before = Self.now()
            var chat = Self.chat
            chat["stream"] = true
            let chatReply = try await proxy.post("/v1/chat/completions", json: chat)
            var responses = Self.responses
            responses["stream"] = true
            let responsesReply = try await proxy.post("/v1/responses", json: responses)
            let after = Self.now()
            let chunks = sseFrames(chatReply.text).filter { $0.data != "[DONE]" }.compactMap {
                try? JSONValue(parsing: Array($0.data.utf8))
            }
            #expect(!chunks.isEmpty)
            for chunk in chunks {
                let created = try #require(chunk["created"]?.intValue)
                #expect((before...after).contains(created), "\(created) not in \(before)...\(after)")
            }
            let objects = sseFrames(responsesReply.text).compactMap {
                (try? JSONValue(parsing: Array($0.data.utf8)))?["response"]
            }
            #expect(objects.count == 3, "\(responsesReply.text)")
            for object in objects {
                let createdAt = try #require(object["created_at"]?.intValue)
                #expect((before...after).contains(createdAt), "\(createdAt) not in \(before)...\(after)")
            }
        }
    }
}
