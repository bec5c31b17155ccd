extension String {
    /// Whether Anthropic refuses this as a text block or a stop sequence:
    /// empty or whitespace alone. Usually answered by the first character.
    var isBlankToAnthropic: Bool {
        !unicodeScalars.contains { !$0.properties.isWhitespace }
    }
}
