import Convert
import Testing
import Wire

/// Anthropic `document` blocks on their way to an OpenAI Chat upstream:
/// PDFs as inline `file` parts, plain text as text, URLs dropped with a
/// warning saying what to do instead. Responses shares the file naming.
@Suite struct OpenAIDocumentRequestTests {
    static func convert(_ content: JSONValue) throws -> ConvertedRequest {
        try RequestConverterTests.convert(
            RequestConverterTests.request(messages: [["role": "user", "content": content]]))
    }

    static func pdf(title: String? = nil) -> JSONValue {
        var block: JSONObject = [
            "type": "document", "source": ["type": "base64", "media_type": "application/pdf", "data": "JVBERi0x"],
        ]
        if let title { block["title"] = .string(title) }
        return .object(block)
    }

    @Test func aBase64PDFBecomesAFilePartNamedByItsTitle() throws {
        let converted = try Self.convert([Self.pdf(title: "report.pdf"), ["type": "text", "text": "Summarize it"]])
        #expect(
            converted.body["messages"]
                == [
                    [
                        "role": "user",
                        "content": [
                            [
                                "type": "file",
                                "file": [
                                    "filename": "report.pdf", "file_data": "data:application/pdf;base64,JVBERi0x",
                                ],
                            ],
                            ["type": "text", "text": "Summarize it"],
                        ],
                    ]
                ])
        #expect(converted.diagnostics == [])
    }

    @Test func aBase64PDFWithoutTitleGetsTheDefaultName() throws {
        let converted = try Self.convert([Self.pdf()])
        #expect(
            converted.body["messages"]?[0]?["content"]
                == [
                    [
                        "type": "file",
                        "file": ["filename": "document.pdf", "file_data": "data:application/pdf;base64,JVBERi0x"],
                    ]
                ])
    }

    @Test func aPlainTextDocumentBecomesText() throws {
        let converted = try Self.convert([
            ["type": "document", "source": ["type": "text", "media_type": "text/plain", "data": "notes"]],
            ["type": "text", "text": "Read it"],
        ])
        #expect(converted.body["messages"] == [["role": "user", "content": "notes\n\nRead it"]])
        #expect(converted.diagnostics == [])
    }

    @Test func aURLDocumentIsDroppedWithAWarningSayingWhatToDo() throws {
        let converted = try Self.convert([
            ["type": "document", "source": ["type": "url", "url": "https://example.com/a.pdf"]],
            ["type": "text", "text": "Read it"],
        ])
        #expect(converted.body["messages"] == [["role": "user", "content": "Read it"]])
        #expect(converted.diagnostics.map(\.severity) == [.warning])
        #expect(converted.diagnostics.map(\.path) == ["/messages/0/content/0/source"])
        #expect(
            converted.diagnostics.map(\.message) == [
                "a document URL cannot be sent to OpenAI Chat Completions, whose file parts take only inline "
                    + "data; dropped. Send the PDF as a base64 source, or use a route of format "
                    + "openai-responses, gemini or anthropic, which fetch URLs"
            ])
    }

    /// A tool message takes only text: the PDF follows in a user message.
    @Test func aPDFInAToolResultFollowsTheToolMessage() throws {
        let converted = try RequestConverterTests.convert(
            RequestConverterTests.request(messages: [
                ["role": "assistant", "content": [["type": "tool_use", "id": "f", "name": "Fetch", "input": [:]]]],
                [
                    "role": "user",
                    "content": [
                        [
                            "type": "tool_result", "tool_use_id": "f",
                            "content": [["type": "text", "text": "fetched"], Self.pdf(title: "spec.pdf")],
                        ]
                    ],
                ],
            ]))
        let messages = try #require(converted.body["messages"]?.arrayValue)
        try #require(messages.count == 3)
        #expect(messages[1] == ["role": "tool", "tool_call_id": "f", "content": "fetched"])
        #expect(
            messages[2]
                == [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "Returned by tool call f:"],
                        [
                            "type": "file",
                            "file": ["filename": "spec.pdf", "file_data": "data:application/pdf;base64,JVBERi0x"],
                        ],
                    ],
                ])
        #expect(converted.diagnostics.map(\.severity) == [.info])
    }

    /// Responses' `input_file` takes the same name as Chat's `file` part.
    @Test func aResponsesUpstreamNamesTheFileByItsTitleToo() throws {
        let request = RequestConverterTests.request(messages: [["role": "user", "content": [Self.pdf(title: "r.pdf")]]])
        let converted = try RequestConverterTests.convert(request, route: TestRoutes.responses)
        #expect(
            converted.body["input"]?[0]?["content"]
                == [["type": "input_file", "filename": "r.pdf", "file_data": "data:application/pdf;base64,JVBERi0x"]])
    }
}
