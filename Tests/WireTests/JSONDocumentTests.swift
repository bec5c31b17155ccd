import Testing
import Wire

/// A body passed on keeps the client's bytes for what it did not change, and
/// is the same JSON as the value serialized anew.
@Suite struct JSONDocumentTests {
    static let text = #"{"model": "a", "messages":[{"role":"user","content":"caf\u00e9 \/"}], "max_tokens": 10}"#

    @Test func unchangedMembersAreCopiedAsTheClientWroteThem() throws {
        let document = try JSONDocument(parsing: Array(Self.text.utf8))
        var body = document.value
        body["model"] = "b"
        body["max_tokens"] = 20
        body["stream"] = true
        let written = String(decoding: body.serialized(reusingMembersOf: document), as: UTF8.self)
        #expect(
            written
                == #"{"model":"b","messages":[{"role":"user","content":"caf\u00e9 \/"}],"max_tokens":20,"stream":true}"#
        )
        #expect(try JSONValue(parsing: written) == body)
    }

    @Test func aChangedNestedValueIsWrittenAnew() throws {
        let document = try JSONDocument(parsing: Array(Self.text.utf8))
        var body = document.value
        body["messages"] = [["role": "user", "content": "tea"]]
        let written = String(decoding: body.serialized(reusingMembersOf: document), as: UTF8.self)
        #expect(written == #"{"model":"a","messages":[{"role":"user","content":"tea"}],"max_tokens":10}"#)
    }

    @Test func membersInAnotherOrderAreFoundByKey() throws {
        let document = try JSONDocument(parsing: Array(Self.text.utf8))
        guard case .object(let object) = document.value else {
            Issue.record("not an object")
            return
        }
        let reversed = JSONValue.object(JSONObject(object.members.reversed()))
        let written = String(decoding: reversed.serialized(reusingMembersOf: document), as: UTF8.self)
        #expect(written == #"{"max_tokens":10,"messages":[{"role":"user","content":"caf\u00e9 \/"}],"model":"a"}"#)
    }

    @Test func anEqualValueRebuiltIsWrittenAnew() throws {
        let document = try JSONDocument(parsing: Array(Self.text.utf8))
        var body = document.value
        // Equal to what was read, but built again: not copied.
        body["messages"] = [["role": "user", "content": "café /"]]
        let written = String(decoding: body.serialized(reusingMembersOf: document), as: UTF8.self)
        #expect(written == #"{"model":"a","messages":[{"role":"user","content":"café /"}],"max_tokens":10}"#)
    }

    @Test func repeatedKeysKeepTheirOwnValues() throws {
        let document = try JSONDocument(parsing: Array(#"{"a": 1, "a": [ 2 ]}"#.utf8))
        #expect(
            String(decoding: document.value.serialized(reusingMembersOf: document), as: UTF8.self)
                == #"{"a":1,"a":[ 2 ]}"#)
    }

    @Test func anythingButAnObjectIsSerializedAnew() throws {
        let array = try JSONDocument(parsing: Array("[1, 2]".utf8))
        #expect(array.value.serialized(reusingMembersOf: array) == Array("[1,2]".utf8))
        let object: JSONValue = ["a": 1]
        #expect(object.serialized(reusingMembersOf: array) == Array(#"{"a":1}"#.utf8))
    }

    @Test func errorsAreTheParsersOwn() {
        for text in [#"{"a":}"#, "[1,2", #"{"a":"\u12"}"#] {
            var documentError: JSONParseError?
            var valueError: JSONParseError?
            do { _ = try JSONDocument(parsing: Array(text.utf8)) } catch { documentError = error }
            do { _ = try JSONValue(parsing: text) } catch { valueError = error }
            #expect(documentError != nil)
            #expect(documentError == valueError, "\(text)")
        }
    }
}
