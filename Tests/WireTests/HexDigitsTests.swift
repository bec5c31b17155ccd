import Testing
import Wire

@Suite struct HexDigitsTests {
    @Test func bytesAreTwoLowercaseDigitsEach() {
        #expect(HexDigits.lowercase([0x00, 0x0F, 0xA5, 0xFF]) == "000fa5ff")
        #expect(HexDigits.lowercase([UInt8]()) == "")
        #expect(HexDigits.lowercase[10] == UInt8(ascii: "a"))
    }
}
