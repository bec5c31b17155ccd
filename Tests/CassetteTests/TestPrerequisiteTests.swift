import Foundation
import TestSupport
import Testing

/// The helpers that find what tests need fail, saying what is missing and
/// how to provide it, instead of letting a test run no check.
@Suite struct TestPrerequisiteTests {
    @Test func lz4IsFoundOnPATHAndItsAbsenceIsAnError() throws {
        #expect(try LZ4Tool.path().hasSuffix("/lz4"))
        let error = #expect(throws: LZ4Tool.NotFound.self) { try LZ4Tool.path(searchPath: "/nonexistent:/also-not") }
        #expect(error?.description.contains("apt-get install lz4") == true, "\(String(describing: error))")
    }

    @Test func aFixturesFolderWithoutTheWantedFilesIsAnErrorNamingItAndTheVariable() throws {
        let error = #expect(throws: Fixtures.NotFound.self) {
            try Fixtures.files(in: "providers/openai-chat", suffix: ".no-such-suffix")
        }
        let description = error?.description ?? ""
        #expect(description.contains("providers/openai-chat") && description.contains("SWITCHBOARD_FIXTURES"))
    }

    @Test func argumentsThatCameBackEmptyFailTheSuitesPresenceTest() throws {
        let found = Fixtures.argumentFiles(in: "providers/openai-chat", suffix: ".chunks.txt")
        #expect(!found.isEmpty)
        #expect(throws: Fixtures.NotFound.self) {
            try Fixtures.requireFound([], in: "providers/openai-chat", suffix: ".chunks.txt")
        }
        #expect(throws: Fixtures.NotFound.self) {
            try Fixtures.requireFound(
                found, in: "providers/openai-chat", suffix: ".chunks.txt", atLeast: found.count + 1)
        }
        try Fixtures.requireFound(found, in: "providers/openai-chat", suffix: ".chunks.txt", atLeast: found.count)
        #expect(Fixtures.argumentFiles(in: "providers/no-such-provider", suffix: ".chunks.txt").isEmpty)
    }
}
