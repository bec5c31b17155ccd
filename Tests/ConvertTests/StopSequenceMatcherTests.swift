import Testing

@testable import Convert

/// The matcher behind the stop sequences the proxy applies itself: what it
/// releases at once, what it holds back, and where it cuts.
@Suite struct StopSequenceMatcherTests {
    /// Feeds `pieces` one by one; each piece's released text, then the
    /// match (nil) or, with no match, what ``StopSequenceMatcher/finish()`` released.
    static func run(_ sequences: [String], _ pieces: [String]) -> (released: [String], matched: String?) {
        var matcher = StopSequenceMatcher(sequences)
        var released: [String] = []
        for piece in pieces {
            let step = matcher.receive(piece)
            released.append(step.released)
            if let matched = step.matched { return (released, matched) }
        }
        released.append(matcher.finish())
        return (released, nil)
    }

    @Test func aSequenceSplitOverDeltasIsFoundAndTheTextStopsBeforeIt() {
        let result = Self.run(["STOP"], ["Hello ST", "O", "P and more"])
        #expect(result.released == ["Hello ", "", ""])
        #expect(result.matched == "STOP")
    }

    @Test func textThatCannotBeginASequenceIsReleasedAtOnce() {
        let result = Self.run(["STOP"], ["Hello", " world", "!"])
        #expect(result.released == ["Hello", " world", "!", ""])
        #expect(result.matched == nil)
    }

    @Test func aPrefixThatTurnsOutNotToMatchIsReleased() {
        // "ST" is held, then "STA" is no start of "STOP"; "S" of "S" is held again.
        let result = Self.run(["STOP"], ["FIRST", "ART S", "OME"])
        #expect(result.released == ["FIR", "START ", "SOME", ""])
        #expect(result.matched == nil)
        // Held at the very end of the text: released by finish.
        #expect(Self.run(["STOP"], ["a ST"]).released == ["a ", "ST"])
    }

    @Test func ofTwoSequencesOneAPrefixOfTheOtherTheOneThatEndsFirstMatches() {
        // As a model's generation stops the moment "END" is complete.
        let result = Self.run(["ENDING", "END"], ["the EN", "DING"])
        #expect(result.released == ["the ", ""])
        #expect(result.matched == "END")
        // A shorter one inside a longer one not yet complete matches;
        // a longer one complete before a shorter one ends matches.
        #expect(Self.run(["ab", "xabc"], ["xab"]).matched == "ab")
        #expect(Self.run(["bc", "xab"], ["xabc"]).matched == "xab")
    }

    @Test func ofTwoEndingAtOnceTheOneStartingFirstMatches() {
        let result = Self.run(["b", "ab"], ["xab"])
        #expect(result.released == ["x"])
        #expect(result.matched == "ab")
    }

    @Test func multiByteCharactersAreNeverSplit() {
        // "é" is two bytes, "😀" four: a sequence starting with them is held
        // whole, and text released before it is whole characters.
        let result = Self.run(["é😀"], ["café", "😀 later"])
        #expect(result.released == ["caf", ""])
        #expect(result.matched == "é😀")
        // A sequence sharing only a lead byte with the text ("é" and "è"
        // both begin 0xC3) holds back nothing that is half a character.
        let other = Self.run(["è!"], ["caf", "é", "è", "!"])
        #expect(other.released == ["caf", "é", "", ""])
        #expect(other.matched == "è!")
        #expect(Self.run(["日本"], ["日", "日本"]).released == ["", "日"])
    }

    @Test func aMatchAtTheVeryStartReleasesNothing() {
        let result = Self.run(["\n"], ["\nrest"])
        #expect(result.released == [""])
        #expect(result.matched == "\n")
    }

    @Test func emptySequencesAreNeverMatched() {
        #expect(StopSequenceMatcher([""]).isEmpty)
        #expect(Self.run(["", "x"], ["abc"]) == (["abc", ""], nil))
    }
}
