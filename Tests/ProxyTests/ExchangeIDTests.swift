import Testing

@testable import Proxy

/// Exchange ids: `req_`, 14 hex digits of microseconds, 16 of bits that
/// differ for every id a process makes.
@Suite struct ExchangeIDTests {
    @Test func theFormIsTimeThenBitsInFixedWidthHex() {
        #expect(ExchangeID.format(micros: 0x1, bits: 0xABC) == "req_00000000000001" + "0000000000000abc")
        #expect(
            ExchangeID.format(micros: 0x661D_7F90_6870_43, bits: 0xE8E8_9A34_F8FD_4141)
                == "req_661d7f90687043" + "e8e89a34f8fd4141")
    }

    @Test func theBitsAloneTellEveryIdApart() {
        // Two requests can start in the same microsecond: the bits must
        // differ without the time part's help.
        let ids = (0..<20_000).map { _ in ExchangeID.make() }
        #expect(ids.allSatisfy { $0.utf8.count == 34 && $0.hasPrefix("req_") })
        #expect(Set(ids.map { $0.suffix(16) }).count == ids.count)
    }
}
