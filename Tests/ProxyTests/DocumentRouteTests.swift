import TestSupport
import Testing
import Wire

/// PDFs through the running proxy, both ways between Anthropic's `document`
/// block and OpenAI Chat's `file` part.
@Suite struct DocumentRouteTests {
    static let pdfData = "JVBERi0xLjQK"

    /// The PDF as a Chat client's `file` part (and as the proxy sends one to
    /// a Chat upstream), with a question.
    static let chatMessageWithFile: JSONValue = [
        "role": "user",
        "content": [
            [
                "type": "file",
                "file": ["filename": "invoice.pdf", "file_data": .string("data:application/pdf;base64,\(pdfData)")],
            ],
            ["type": "text", "text": "What is the total?"],
        ],
    ]

    /// An Anthropic client's PDF reaches the Chat upstream as a `file` part,
    /// and the model's answer comes back.
    @Test func anAnthropicClientsPDFReachesAChatUpstreamAsAFilePart() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.openAICompletion)
            var request = ProxyHarness.messages(model: "gpt")
            request["messages"] = [
                [
                    "role": "user",
                    "content": [
                        [
                            "type": "document", "title": "invoice.pdf",
                            "source": [
                                "type": "base64", "media_type": "application/pdf", "data": .string(Self.pdfData),
                            ],
                        ],
                        ["type": "text", "text": "What is the total?"],
                    ],
                ]
            ]
            let reply = try await proxy.post(json: request)
            #expect(reply.status == 200)
            #expect(reply.json?["content"]?[0]?["text"] == "Hello there")
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.first).body)
            #expect(
                sent["messages"]
                    == [
                        Self.chatMessageWithFile
                    ])
        }
    }

    /// The reverse: a Chat client's `file` part reaches an Anthropic
    /// upstream as a document block titled by the file name.
    @Test func aChatClientsFilePartReachesAnAnthropicUpstreamAsADocument() async throws {
        try await ProxyHarness.run { proxy in
            proxy.stub.reply = .json(200, UpstreamBodies.anthropicMessage)
            let request: JSONValue = [
                "model": "claude",
                "messages": [
                    Self.chatMessageWithFile
                ],
            ]
            let reply = try await proxy.post("/v1/chat/completions", json: request)
            #expect(reply.status == 200)
            let sent = try JSONValue(parsing: try #require(proxy.stub.requests.first).body)
            #expect(
                sent["messages"]?[0]?["content"]
                    == [
                        [
                            "type": "document", "title": "invoice.pdf",
                            "source": [
                                "type": "base64", "media_type": "application/pdf", "data": .string(Self.pdfData),
                            ],
                        ],
                        ["type": "text", "text": "What is the total?"],
                    ])
        }
    }
}
