import Testing

extension ChildProcess {
    /// Waits for the process to end and expects the usage error of a
    /// mistyped command line: exit 64, with `message` in its standard error
    /// and not `wrong` (the message a fixed mistake used to give).
    public func expectUsageError(
        saying message: String, notSaying wrong: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async {
        #expect(await waitForEnding() == .exited(64), "\(standardError)", sourceLocation: sourceLocation)
        #expect(standardError.contains(message), "\(standardError)", sourceLocation: sourceLocation)
        #expect(!standardError.contains(wrong), "\(standardError)", sourceLocation: sourceLocation)
    }
}
