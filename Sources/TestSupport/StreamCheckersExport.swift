// The stream checkers live in their own target (so the fuzzer can link them
// without this target's HTTP server); every test that imports TestSupport
// keeps finding them here.
@_exported import StreamCheckers
