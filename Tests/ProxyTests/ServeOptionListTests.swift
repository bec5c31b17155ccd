import Proxy
import Testing

/// How `proxy restart` lays new serve options over the old ones.
struct ServeOptionListTests {
    @Test func readsOptionsWithValuesInlineValuesAndFlags() {
        let list = ServeOptionList(["--port", "0", "--no-metrics", "--config=/c.yaml", "--demo"])
        #expect(list.names == ["--port", "--no-metrics", "--config", "--demo"])
        #expect(list.options.map(\.words) == [["--port", "0"], ["--no-metrics"], ["--config=/c.yaml"], ["--demo"]])
        #expect(list.arguments == ["--port", "0", "--no-metrics", "--config=/c.yaml", "--demo"])
    }

    @Test func newerOptionsReplaceTheirNamesakesAndTheRestStay() {
        let ran = ServeOptionList([
            "--config", "/c.yaml", "--redact-header", "a", "--port", "8082", "--redact-header", "b", "--no-metrics",
        ])
        let merged = ran.merging(ServeOptionList(["--port=9000", "--redact-header", "c", "--log-level", "debug"]))
        #expect(
            merged.arguments == [
                "--config", "/c.yaml", "--no-metrics", "--port=9000", "--redact-header", "c", "--log-level", "debug",
            ])
        #expect(ran.merging(ServeOptionList([])) == ran)
    }

    @Test func aValueIsReplacedWhereverItIsGivenAndOnlyThere() {
        let list = ServeOptionList(["--port=0", "--host", "::"])
        #expect(list.replacingValue(of: "--port", with: "41000").arguments == ["--port", "41000", "--host", "::"])
        #expect(list.replacingValue(of: "--config", with: "/c.yaml") == list)
    }
}
