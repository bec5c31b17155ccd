import Glibc

// SwiftPM links an executable with its `main` renamed, so libFuzzer's own
// `main` is never used: this one starts libFuzzer's driver (which reads the
// command line: corpus folders, -max_total_time...) on the entry point.
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
