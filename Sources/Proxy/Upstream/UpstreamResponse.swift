import NIOHTTP1

/// An upstream's answer as ``UpstreamClient`` returns it: the head, and the
/// body as it comes.
///
/// Our own rather than AsyncHTTPClient's `HTTPClientResponse`, whose body
/// wraps any sequence in a type-erasing one: every chunk read through it
/// went through a closure and two hops between executors, where a read of
/// ``UpstreamBody`` itself runs on the reader's own (see the commit for the
/// count).
struct UpstreamResponse: Sendable {
    var status: HTTPResponseStatus
    var headers: HTTPHeaders
    var body: UpstreamBody
}
