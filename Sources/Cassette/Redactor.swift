import Crypto
import NIOConcurrencyHelpers
import Wire

/// Removes secrets from what is recorded, keeping a short fingerprint so two
/// different keys can still be told apart in a cassette.
///
/// A fingerprint is `[redacted:<first 8 hex digits of the SHA-256 of the
/// secret>]`. For `authorization` values with a scheme (`Bearer sk-...`) the
/// scheme is kept and only the credential is fingerprinted, so the same key
/// sent as `x-api-key` and as a bearer token gets the same fingerprint.
public struct Redactor: Sendable {
    /// Header names always redacted, lowercased.
    public static let defaultSecretHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie", "set-cookie",
    ]

    /// ``defaultSecretHeaders`` as help text lists them, sorted: the help
    /// is written from the set, so it cannot leave one out.
    public static var defaultSecretHeaderList: String {
        defaultSecretHeaders.sorted().joined(separator: ", ")
    }

    /// ``secretNameWords`` as help text lists them: "key, token, ... or credential".
    public static var secretNameWordList: String {
        secretNameWords.dropLast().joined(separator: ", ") + " or " + secretNameWords.last!
    }

    /// Words that make a header's or a query parameter's value a secret
    /// wherever they stand in its name, in any case (see
    /// ``isSecretName(_:)``): clients and gateways carry keys in names of
    /// their own (`openai-api-key`, `x-auth-token`, `helicone-auth`;
    /// `api-key=`, `token=` in a URL), and a name a list missed went to
    /// disk in clear. Every name in ``defaultSecretHeaders`` holds one.
    /// (`sig` too, but only as a whole part of a name: Azure's SAS `sig=`,
    /// `x-custom-sig`; it begins too many words to count inside one.)
    public static let secretNameWords = [
        "key", "token", "secret", "password", "passwd", "auth", "cookie", "credential", "signature", "jwt",
    ]

    /// Whether a header or query parameter named `name` carries a secret:
    /// it holds one of ``secretNameWords``, or `sig` between non-letters
    /// (or the name's ends). Counts and challenges are not
    /// secrets: `tokens` (`x-ratelimit-remaining-tokens`, which rate-limit
    /// answers carry) and `authenticate` (`www-authenticate`) are passed over.
    public static func isSecretName(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { hasSecretWord($0) }
    }

    /// ``isSecretName(_:)`` on the name's bytes: one pass, each byte
    /// lowered and compared with the first letters of the words (spelt out
    /// here for speed; RedactorTests checks every word of
    /// ``secretNameWords`` is found).
    static func hasSecretWord(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        func holds(_ word: StaticString, at index: Int) -> Bool {
            let count = word.utf8CodeUnitCount
            guard index + count <= name.count else { return false }
            for offset in 0..<count where name[index + offset] | 0x20 != word.utf8Start[offset] { return false }
            return true
        }
        func isLetter(at index: Int) -> Bool {
            guard name.indices.contains(index) else { return false }
            let lowered = name[index] | 0x20
            return lowered >= UInt8(ascii: "a") && lowered <= UInt8(ascii: "z")
        }
        // `| 0x20` lowers an ASCII capital and maps no other byte to a
        // lowercase letter.
        for index in name.indices {
            let found: Bool
            switch name[index] | 0x20 {
            case UInt8(ascii: "k"): found = holds("key", at: index)
            case UInt8(ascii: "t"): found = holds("token", at: index) && !holds("tokens", at: index)
            case UInt8(ascii: "s"):
                found =
                    holds("secret", at: index) || holds("signature", at: index)
                    || (holds("sig", at: index) && !isLetter(at: index - 1) && !isLetter(at: index + 3))
            case UInt8(ascii: "p"): found = holds("passw", at: index)
            case UInt8(ascii: "a"): found = holds("auth", at: index) && !holds("authenticate", at: index)
            case UInt8(ascii: "c"): found = holds("cookie", at: index) || holds("credential", at: index)
            case UInt8(ascii: "j"): found = holds("jwt", at: index)
            default: found = false
            }
            if found { return true }
        }
        return false
    }

    /// - Parameter extraHeaders: more header names to redact (any case),
    ///   from `--redact-header`, on top of every name ``isSecretName(_:)``
    ///   finds a secret (each of ``defaultSecretHeaders`` among them).
    public init(extraHeaders: [String] = []) {
        extraHeaderNames = Set(extraHeaders.map { $0.lowercased() }).filter { !Self.isSecretName($0) }.sorted()
        extraNameLengths = extraHeaderNames.reduce(0) { $0 | Self.lengthBit($1.utf8.count) }
    }

    /// The `--redact-header` names (lowercased) that hold no secret word, as
    /// a list: a few length checks are cheaper than hashing every name.
    private let extraHeaderNames: [String]
    /// A bit for each length of a name in ``extraHeaderNames`` (see
    /// ``lengthBit(_:)``): most header names have a length none has, and
    /// are passed over with one test.
    private let extraNameLengths: UInt64

    /// Bit `length` for a length under 63, the top bit for any longer.
    private static func lengthBit(_ length: Int) -> UInt64 { 1 << UInt64(min(length, 63)) }

    /// The headers as a JSON object of name to value, in order, with secret
    /// values replaced by fingerprints. A repeated name keeps its first
    /// spelling and its values are joined with ", " as HTTP does.
    public func headers(_ headers: [(name: String, value: String)]) -> RecordedHeaders {
        // Four header sets go into every recorded exchange: written straight
        // to JSON text, with no hashing or lowercasing of names that are
        // not secrets, unless a name repeats (rare: cookies, `via`).
        guard !Self.hasRepeatedName(headers) else { return RecordedHeaders(merged(headers)) }
        var json: [UInt8] = []
        json.reserveCapacity(48 * headers.count + 2)
        for header in headers {
            var name = header.name
            name.withUTF8 { nameBytes in
                var value = recordedValue(header.name, bytes: nameBytes, header.value)
                value.withUTF8 { value in Self.appendMember(name: nameBytes, value: value, to: &json) }
            }
        }
        // The first member's comma opens the object.
        if json.isEmpty { json.append(UInt8(ascii: "{")) } else { json[0] = UInt8(ascii: "{") }
        json.append(UInt8(ascii: "}"))
        return RecordedHeaders(json: json)
    }

    /// `,"name":"value"`, in one append when neither needs escaping (most
    /// headers; each append to an array costs ~100 instructions). The
    /// leading comma of the first member is made a `{` by the caller.
    private static func appendMember(
        name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>, to json: inout [UInt8]
    ) {
        let length = name.count + value.count + 6
        guard length <= 512, JSONValue.needsNoEscape(name), JSONValue.needsNoEscape(value) else {
            json.append(UInt8(ascii: ","))
            JSONValue.writeString(validUTF8: name, to: &json)
            json.append(UInt8(ascii: ":"))
            JSONValue.writeString(validUTF8: value, to: &json)
            return
        }
        ScratchText.append(to: &json, capacity: length) { member in
            member.write(#",""#)
            member.write(name)
            member.write(#"":""#)
            member.write(value)
            member.write(UInt8(ascii: "\""))
        }
    }

    private func merged(_ headers: [(name: String, value: String)]) -> JSONObject {
        var object = JSONObject()
        for (name, value) in headers {
            let recorded = recordedValue(name, value)
            if let existing = object.first(where: { $0.key.equalsIgnoringASCIICase(name) }) {
                object[existing.key] = .string((existing.value.stringValue ?? "") + ", " + recorded)
            } else {
                object.append(key: name, value: .string(recorded))
            }
        }
        return object
    }

    /// Compares names of the same length only: the lengths are read once
    /// (most sets have few that match), then each pair's bytes.
    private static func hasRepeatedName(_ headers: [(name: String, value: String)]) -> Bool {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: headers.count) { lengths in
            for index in headers.indices {
                (lengths.baseAddress! + index).initialize(to: headers[index].name.utf8.count)
            }
            for index in headers.indices.dropFirst() {
                for earlier in 0..<index
                where lengths[earlier] == lengths[index]
                    && headers[earlier].name.equalsIgnoringASCIICase(headers[index].name)
                {
                    return true
                }
            }
            return false
        }
    }

    /// `value`, or its fingerprint when `name` is a secret header's, or
    /// the URL redacted by ``url(_:)`` when `name` is a URL-valued one.
    private func recordedValue(_ name: String, _ value: String) -> String {
        var bytes = name
        return bytes.withUTF8 { recordedValue(name, bytes: $0, value) }
    }

    /// ``recordedValue(_:_:)`` with the name's bytes at hand (``headers(_:)``
    /// has them): its secret words are looked for in them, not in a copy.
    private func recordedValue(_ name: String, bytes: UnsafeBufferPointer<UInt8>, _ value: String) -> String {
        if isSecret(name, bytes: bytes) { return redactedValue(of: name, value) }
        // An upstream's redirect can name a password or a key
        // (`Location: http://user:pass@host/x?key=...`). Lengths first, as
        // for secret names: most names are passed over with one test.
        guard Self.urlNameLengths & Self.lengthBit(bytes.count) != 0,
            Self.urlHeaderNames.contains(where: { $0.equalsIgnoringASCIICase(name) })
        else { return value }
        return url(value)
    }

    /// Lowercased names of headers whose value is a URL, recorded through
    /// ``url(_:)``.
    static let urlHeaderNames = ["location", "content-location"]
    /// ``lengthBit(_:)`` of each name in ``urlHeaderNames``.
    private static let urlNameLengths = urlHeaderNames.reduce(0) { $0 | lengthBit($1.utf8.count) }

    /// Whether a header with this name is redacted: the same ASCII-only,
    /// case-blind tests ``headers(_:)`` makes.
    public func isSecret(_ headerName: String) -> Bool {
        var bytes = headerName
        return bytes.withUTF8 { isSecret(headerName, bytes: $0) }
    }

    /// Whether `name`, whose UTF-8 is `bytes`, is a secret header's: it
    /// holds a secret word, or `--redact-header` named it, whatever its case.
    private func isSecret(_ name: String, bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if Self.hasSecretWord(bytes) { return true }
        guard extraNameLengths & Self.lengthBit(bytes.count) != 0 else { return false }
        return extraHeaderNames.contains { $0.equalsIgnoringASCIICase(name) }
    }

    /// The URL with secret query parameter values (`key=...`) and any
    /// password in the authority replaced by fingerprints.
    public func url(_ url: String) -> String {
        // Nothing to redact without a query or a user part: the usual case,
        // three times an exchange. Looked for in the contiguous bytes: on
        // the UTF-8 view the generic search took ~12 instructions a byte.
        var contiguous = url
        let redactable = contiguous.withUTF8 { $0.contains { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "@") } }
        guard redactable else { return url }
        // Every delimiter is found by byte, and stepped over by byte: a
        // combining mark after `?`, `&` or `=` makes one Character of the
        // two, which a search by Character passes over, and the query (a
        // `key=` among it) went to the cassette as it came.
        var text = Substring(url)
        var fragment: Substring = ""
        if let hash = text.utf8.firstIndex(of: UInt8(ascii: "#")) {
            fragment = text[hash...]
            text = text[..<hash]
        }
        guard let question = text.utf8.firstIndex(of: UInt8(ascii: "?")) else {
            return Self.redactingUserInfo(text) + fragment
        }
        let base = Self.redactingUserInfo(text[..<question])
        let query = URLQuery(text[text.utf8.index(after: question)...])
        let redacted = query.parameters.map { parameter -> String in
            guard let value = parameter.encodedValue, Self.isSecretName(parameter.name)
            else { return String(parameter.text) }
            return parameter.encodedName + "=" + Self.fingerprint(URLQuery.decoded(value))
        }
        return base + "?" + redacted.joined(separator: "&") + fragment
    }

    /// `"[redacted:1a2b3c4d]"`: the first 8 hex digits of the secret's
    /// SHA-256.
    ///
    /// The same few keys come with every exchange, each fingerprinted in two
    /// or more of its header sets (~4 K instructions a time, most of it
    /// around the hash), so recent fingerprints are remembered by a keyed
    /// hash of the secret's bytes: `Hasher` over a random 128-bit key of
    /// this process's, then the secret. No secret, nor an unkeyed digest of
    /// one, is kept beyond its request, even with `SWIFT_DETERMINISTIC_HASHING`
    /// set (which fixes `Hasher`'s own seed: the key still differs per
    /// process). Two secrets sharing a 64-bit key is far less likely than
    /// two sharing the 32-bit fingerprint itself.
    public static func fingerprint(_ secret: String) -> String {
        var secret = secret
        return secret.withUTF8 { bytes in
            let raw = UnsafeRawBufferPointer(bytes)
            var hasher = Hasher()
            hasher.combine(memoryKey.0)
            hasher.combine(memoryKey.1)
            hasher.combine(bytes: raw)
            let key = hasher.finalize()
            if let known = recentFingerprints.withLockedValue({ $0[key] }) { return known }
            let computed = computeFingerprint(raw)
            recentFingerprints.withLockedValue { known in
                if known.count >= maxRecentFingerprints { known.removeAll(keepingCapacity: true) }
                known[key] = computed
            }
            return computed
        }
    }

    /// How many fingerprints ``fingerprint(_:)`` remembers before it starts
    /// over: more distinct keys than a proxy sees in a while.
    static let maxRecentFingerprints = 256
    /// The key of ``recentFingerprints``' hash, drawn once per process.
    private static let memoryKey: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    /// A lock ThreadSanitizer sees (see tools/sanitizers.sh): every event
    /// loop and the cassette writer ask.
    private static let recentFingerprints = NIOLockedValueBox<[Int: String]>([:])

    /// Whether `value` is a fingerprint as ``fingerprint(_:)`` writes it
    /// (`[redacted:` and 8 lowercase hex digits and `]`): text copied from a
    /// cassette or from `proxy config print`, which is never a key itself.
    public static func isFingerprint(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        let prefix = Array("[redacted:".utf8)
        guard bytes.count == prefix.count + 9, bytes.starts(with: prefix), bytes.last == UInt8(ascii: "]") else {
            return false
        }
        return bytes[prefix.count..<(bytes.count - 1)].allSatisfy { HexDigits.lowercase.contains($0) }
    }

    private static func computeFingerprint(_ secret: UnsafeRawBufferPointer) -> String {
        // Straight from the bytes into the text: no array, and no iterating
        // the digest as a generic sequence.
        SHA256.hash(data: secret).withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 19) { text in
                var at = 0
                for byte in "[redacted:".utf8 {
                    text[at] = byte
                    at += 1
                }
                for byte in bytes.prefix(4) {
                    text[at] = HexDigits.lowercase[Int(byte >> 4)]
                    text[at + 1] = HexDigits.lowercase[Int(byte & 0x0F)]
                    at += 2
                }
                text[at] = UInt8(ascii: "]")
                return at + 1
            }
        }
    }

    /// The fingerprint of the secret header `name`'s value, its scheme kept
    /// for an `authorization` one.
    private func redactedValue(of name: String, _ value: String) -> String {
        // The scheme is checked byte by byte: Character properties showed in
        // the writer's profile, for a header on every exchange.
        // On the UTF-8 view: finding a space by Character (grapheme
        // breaking) showed in the proxy's profile, twice per exchange.
        // The name compared case-blind, not lowercased first: a lowercased
        // copy of every secret name (four an exchange) was a string made
        // and freed each time.
        let utf8 = value.utf8
        if name.equalsIgnoringASCIICase("authorization") || name.equalsIgnoringASCIICase("proxy-authorization"),
            let space = utf8.firstIndex(of: UInt8(ascii: " ")),
            utf8[..<space].allSatisfy({ Self.isSchemeByte($0) })
        {
            let credential = utf8[utf8.index(after: space)...].drop(while: { $0 == UInt8(ascii: " ") })
            // The prefix by bytes too: `value[...space]` would extend to the
            // whole Character, taking a combining mark after the space.
            return String(Substring(utf8[...space])) + Self.fingerprint(String(Substring(credential)))
        }
        return Self.fingerprint(value)
    }

    /// An ASCII letter or digit, or `-`; a scheme (`Bearer`, `Basic`) is made of these.
    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- UInt8(ascii: "a") < 26 || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "-")
    }

    /// `scheme://user:password@host/...` keeps the user, fingerprints the password.
    /// By byte, as ``url(_:)`` (a combining mark after `@` or `:` hid them
    /// from a search by Character).
    private static func redactingUserInfo(_ text: Substring) -> String {
        let utf8 = text.utf8
        guard
            let slash = utf8.indices.first(where: { index in
                utf8[index] == UInt8(ascii: ":") && utf8[index...].starts(with: "://".utf8)
            })
        else { return String(text) }
        let authorityStart = utf8.index(slash, offsetBy: 3)
        let authorityEnd = utf8[authorityStart...].firstIndex(of: UInt8(ascii: "/")) ?? text.endIndex
        guard let at = utf8[authorityStart..<authorityEnd].lastIndex(of: UInt8(ascii: "@")),
            let colon = utf8[authorityStart..<at].firstIndex(of: UInt8(ascii: ":"))
        else { return String(text) }
        let password = URLQuery.decoded(text[utf8.index(after: colon)..<at])
        return text[..<utf8.index(after: colon)] + fingerprint(password) + text[at...]
    }
}
