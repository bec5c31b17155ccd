import HTTPTypes
import Testing

@testable import Proxy

/// `joinedValue` gives what HTTPFields' own subscript gives, in one pass.
@Suite struct HTTPFieldsJoinedValueTests {
    @Test func itAgreesWithTheSubscriptForOneRepeatedOrNoField() throws {
        let beta = try #require(HTTPField.Name("anthropic-beta"))
        let version = try #require(HTTPField.Name("Anthropic-Version"))
        var fields = HTTPFields()
        fields.append(HTTPField(name: beta, value: "tools-1"))
        fields.append(HTTPField(name: .contentType, value: "application/json"))
        fields.append(HTTPField(name: try #require(HTTPField.Name("ANTHROPIC-BETA")), value: "files-2"))
        fields.append(HTTPField(name: version, value: "2023-06-01"))
        #expect(fields.joinedValue(beta) == "tools-1, files-2")
        #expect(fields.joinedValue(try #require(HTTPField.Name("anthropic-version"))) == "2023-06-01")
        #expect(fields.joinedValue(.authorization) == nil)
        for name in [beta, version, .contentType, .authorization] {
            #expect(fields.joinedValue(name) == fields[name], "\(name)")
        }
    }
}
