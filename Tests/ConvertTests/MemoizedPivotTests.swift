import Testing
import Wire

@testable import Convert

/// A request read into the pivot for a route that reshapes its format is
/// read once, however often the exchange asks.
@Suite struct MemoizedPivotTests {
    @Test func theFirstReadIsKeptAndTheReaderNotCalledAgain() throws {
        let memo = MemoizedPivot()
        var reads = 0
        for _ in 0..<3 {
            let pivot = try memo.pivot { () throws(APIError) in
                reads += 1
                return ConvertedRequest(body: ["model": "m"], diagnostics: [])
            }
            #expect(pivot.body == ["model": "m"])
        }
        #expect(reads == 1)
    }

    /// A request that cannot be read fails the same way each time, read once.
    @Test func aFailedReadIsKeptToo() {
        let memo = MemoizedPivot()
        var reads = 0
        for _ in 0..<2 {
            #expect(throws: APIError.invalidRequest("messages: field required")) {
                try memo.pivot { () throws(APIError) in
                    reads += 1
                    throw .invalidRequest("messages: field required")
                }
            }
        }
        #expect(reads == 1)
    }
}
