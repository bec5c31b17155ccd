import NIOCore

/// How long a test's own HTTP request to an in-process server may take before
/// the test calls it hung (AsyncHTTPClient's `execute(_:timeout:)`).
///
/// Only a failing request waits this long; a passing one returns as soon as
/// it is answered. It is generous because `swift test` starts the whole suite
/// at once: on a 2-core CI machine at load 15-20, requests answered in a
/// fraction of a second alone missed a 30 s limit in dozens of tests
/// (`HTTPClientError.deadlineExceeded`).
public let testRequestTimeout: TimeAmount = .seconds(180)
