import Cassette
import StreamCheckers

/// Input: three slice-size bytes, then a cassette file's bytes.
enum CassetteReaderFuzz {
    /// Everything a read yields: the events, then the torn tail or the error.
    struct Outcome {
        var header: CassetteEvent?
        var events: [CassetteEvent] = []
        var tornTail: String?
        var error: CassetteReadError?
    }

    static func run(_ input: inout FuzzInput) {
        let sizes = input.sliceSizes()
        let bytes = input.payload
        var whole = Outcome()
        do {
            let contents = try CassetteReader.read(bytes: bytes, path: "fuzz")
            whole = Outcome(header: contents.header, events: contents.events, tornTail: contents.tornTail)
        } catch {
            whole.error = error
        }
        let reader = CassetteStreamReader(path: "fuzz")
        var sliced = Outcome()
        do {
            for slice in ByteSlices(bytes, sizes: sizes) { try reader.feed(slice) { sliced.events.append($0) } }
            sliced.tornTail = try reader.finish { sliced.events.append($0) }
        } catch {
            sliced.error = error
        }
        sliced.header = reader.header
        if whole.error != nil {
            // `read(bytes:)` throws away the events before its error: only the errors compare.
            require(sliced.error == whole.error, "cut in slices of \(sizes): \(sliced), whole: \(whole)")
        } else {
            require(
                sliced.header == whole.header && sliced.events == whole.events && sliced.tornTail == whole.tornTail
                    && sliced.error == whole.error,
                "cut in slices of \(sizes): \(sliced), whole: \(whole)")
        }
    }
}
