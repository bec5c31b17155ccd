import Convert
import SSE
import Testing
import Wire

/// ``UpstreamStreamConverter/openingError``: an error is the stream's
/// opening one only when no frame of another event went before it, and its
/// status is the one its type or code stands for, passed through or not.
@Suite struct UpstreamStreamConverterOpeningTests {
    static let chatError = #"data: {"error":{"message":"Overloaded","type":"overloaded_error"}}"# + "\n\n"
    static let chatChunk =
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}"#
        + "\n\n"

    @Test func anErrorAsTheFirstEventOpensTheStream() {
        var converted = UpstreamStreamConverter(route: TestRoutes.openAI, requestedModel: "m")
        #expect(converted.isOpening)
        _ = converted.receive(Array(Self.chatError.utf8))
        #expect(!converted.isOpening)
        #expect(converted.openingError?.status == 529)
        #expect(converted.openingError?.type == "overloaded_error")

        var passedThrough = UpstreamStreamConverter(passthroughFor: TestRoutes.openAI)!
        _ = passedThrough.receive(Array(Self.chatError.utf8))
        let error = passedThrough.openingError
        #expect(error?.status == 529)
        // A Chat client gets the upstream's error object as it came.
        #expect(
            error.map { String(decoding: $0.clientBody(in: .openai), as: UTF8.self) }
                == String(
                    Self.chatError.dropFirst(6).dropLast(2)))
    }

    /// After any other event, in the same chunk or an earlier one, the
    /// error is the stream's error frame, as before.
    @Test func anErrorAfterAnotherEventDoesNotOpenTheStream() {
        for chunks in [[Self.chatChunk + Self.chatError], [Self.chatChunk, Self.chatError]] {
            var converter = UpstreamStreamConverter(route: TestRoutes.openAI, requestedModel: "m")
            for chunk in chunks { _ = converter.receive(Array(chunk.utf8)) }
            #expect(converter.reportedError?.status == 529)
            #expect(converter.openingError == nil)
        }
    }

    /// A stream that ends before its first event fails at the finish, which
    /// is no opening error: its client has had the 200 head by then.
    @Test func anErrorAtTheFinishDoesNotOpenTheStream() {
        var converter = UpstreamStreamConverter(route: TestRoutes.openAI, requestedModel: "m")
        _ = converter.receive(Array(": keep-alive\n\n".utf8))
        #expect(converter.isOpening)
        _ = converter.finish(error: nil)
        #expect(converter.reportedError != nil)
        #expect(converter.openingError == nil)
    }

    /// An answer that comes whole has no first event to wait for.
    @Test func aWholeAnswerIsNeverOpening() {
        let converter = UpstreamStreamConverter(
            wholeMessageFor: TestRoutes.openAI, requestedModel: "m", encoder: nil)
        #expect(!converter.isOpening)
    }
}
