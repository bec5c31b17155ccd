/// libFuzzer's entry point: it calls this once per input. The target run is
/// the one `SWITCHBOARD_FUZZ_TARGET` names; tools/fuzz.sh sets it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    var input = FuzzInput(bytes)
    FuzzTarget.selected.run(&input)
    return 0
}

/// libFuzzer's driver (in the runtime `-sanitize=fuzzer` links): runs the
/// command line's fuzzing job on `test`, and returns the exit status.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
