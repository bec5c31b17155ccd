import Testing
import Wire

@testable import Cassette

@Suite struct CassetteBodyTests {
    @Test func jsonBodiesAreStoredAsValues() throws {
        let bytes = Array(#"{"b":1,"a":[true,null,"é"]}"#.utf8)
        let fields = CassetteBody.fields(for: bytes)
        #expect(fields.keys == ["body"])
        #expect(fields["body"]?["a"]?[2] == "é")
        #expect(CassetteBody.bytes(from: fields) == bytes)
    }

    @Test func jsonBodiesComeBackCompactWithKeyOrder() {
        let fields = CassetteBody.fields(for: Array("{ \"z\": 1,\n \"a\": 2 }".utf8))
        #expect(CassetteBody.bytes(from: fields) == Array(#"{"z":1,"a":2}"#.utf8))
    }

    @Test func textAndScalarsAreText() {
        for text in ["plain text", "1e5", "\"quoted\"", "{not json", ""] {
            let fields = CassetteBody.fields(for: Array(text.utf8))
            #expect(fields.keys == ["body_text"], "\(text)")
            #expect(CassetteBody.bytes(from: fields) == Array(text.utf8))
        }
    }

    @Test func binaryIsBase64() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x00, 0x41, 0xC3]
        let fields = CassetteBody.fields(for: bytes)
        #expect(fields.keys == ["body_b64"])
        #expect(CassetteBody.bytes(from: fields) == bytes)
    }

    @Test func noBodyFieldIsNil() {
        #expect(CassetteBody.bytes(from: ["status": 200]) == nil)
    }

    @Test func chunksSplitInsideUTF8AreExact() {
        let text = Array("data: {\"t\":\"日本語 — ok\"}\n\n".utf8)
        for split in 0...text.count {
            let first = Array(text[..<split])
            let second = Array(text[split...])
            let firstFields = CassetteBody.chunkFields(for: first)
            let secondFields = CassetteBody.chunkFields(for: second)
            #expect(CassetteBody.chunkBytes(from: firstFields) == first)
            #expect(CassetteBody.chunkBytes(from: secondFields) == second)
            let firstIsText = String(validating: first, as: UTF8.self) != nil
            #expect(firstFields.keys == [firstIsText ? "text" : "b64"], "split \(split)")
        }
    }
}
