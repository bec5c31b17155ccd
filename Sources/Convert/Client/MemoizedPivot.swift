import Synchronization

/// A client's request read into the pivot once and kept: a route whose
/// structured-output policy reshapes a client's own format
/// (``ClientRequest/reshapesStructuredOutput(_:)``) reads the request to
/// decide between pass-through and conversion, which is asked several
/// times a request, and then converts it; each read decoded the whole
/// request again. Shared by the copies of its ``ClientRequest``, whose
/// body does not change; a failed read is kept too, as a read again would
/// fail the same way.
final class MemoizedPivot: Sendable {
    private let stored = Mutex<Result<ConvertedRequest, APIError>?>(nil)

    /// The pivot `read` gives, called only the first time.
    func pivot(_ read: () throws(APIError) -> ConvertedRequest) throws(APIError) -> ConvertedRequest {
        let result = stored.withLock { stored in
            if let stored { return stored }
            let result = Result { () throws(APIError) in try read() }
            stored = result
            return result
        }
        return try result.get()
    }
}
