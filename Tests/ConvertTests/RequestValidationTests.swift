import Convert
import Testing
import Wire

@Suite struct RequestValidationTests {
    static func message(for text: String) -> String? {
        do throws(APIError) {
            try RequestConverter.validate(anthropicRequest: try! JSONValue(parsing: text))
            return nil
        } catch {
            #expect(error.status == 400)
            #expect(error.type == "invalid_request_error")
            return error.message
        }
    }

    @Test func validRequestPasses() {
        #expect(Self.message(for: #"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}]}"#) == nil)
    }

    @Test(arguments: [
        (#"[]"#, "the request body must be a JSON object, got array"),
        (#"{"max_tokens":1,"messages":[{"role":"user","content":"x"}]}"#, "model: Field required"),
        (
            #"{"model":7,"max_tokens":1,"messages":[{"role":"user","content":"x"}]}"#,
            "model: expected a string, got integer"
        ),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}]}"#, "max_tokens: Field required"),
        (
            #"{"model":"m","max_tokens":"9","messages":[{"role":"user","content":"x"}]}"#,
            "max_tokens: expected an integer, got string"
        ),
        (
            #"{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]}"#,
            "max_tokens: must be at least 1, got 0"
        ),
        (#"{"model":"m","max_tokens":1}"#, "messages: Field required"),
        (#"{"model":"m","max_tokens":1,"messages":{}}"#, "messages: expected an array, got object"),
        (#"{"model":"m","max_tokens":1,"messages":[]}"#, "messages: at least one message is required"),
        (#"{"model":"m","max_tokens":1,"messages":[{"content":"x"}]}"#, "messages.0.role: Field required"),
        (#"{"model":"m","max_tokens":1,"messages":[{"role":"user"}]}"#, "messages.0.content: Field required"),
        (
            #"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":5}]}"#,
            "messages.0.content: expected a string or an array of content blocks, got integer"
        ),
        (
            #"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text"}]}]}"#,
            "messages.0.content.0.text: Field required"
        ),
        (
            #"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result"}]}]}"#,
            "messages.0.content.0.tool_use_id: Field required"
        ),
        (
            #"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"stream":"yes"}"#,
            "stream: expected a boolean, got string"
        ),
        (
            #"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"system":3}"#,
            "system: expected a string or an array of content blocks, got integer"
        ),
        (
            #"{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{}]}"#,
            "tools.0.name: Field required"
        ),
    ])
    func invalidRequestsNameTheField(body: String, expected: String) {
        #expect(Self.message(for: body) == expected)
    }
}
