import Crypto
import Foundation
import Testing
import Wire

@testable import Cassette

@Suite struct RedactorTests {
    @Test func fingerprintIsEightHexOfSHA256() {
        // sha256("abc") = ba7816bf...
        #expect(Redactor.fingerprint("abc") == "[redacted:ba7816bf]")
        #expect(Redactor.fingerprint("sk-one") != Redactor.fingerprint("sk-two"))
        // The FIPS 180-2 vectors, across SHA-256's padding edges.
        #expect(Redactor.fingerprint("") == "[redacted:e3b0c442]")
        #expect(
            Redactor.fingerprint("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") == "[redacted:248d6a61]")
    }

    /// Remembered fingerprints are each secret's own, by its bytes: asked
    /// again, past the memory's size, and for two spellings of one text
    /// (precomposed and combining) that `String` calls equal.
    @Test func rememberedFingerprintsAreEachSecretsOwn() {
        func sha256Fingerprint(_ secret: String) -> String {
            let digest = SHA256.hash(data: Array(secret.utf8))
            return "[redacted:" + digest.prefix(4).map { String(format: "%02x", $0) }.joined() + "]"
        }
        let secrets = (0..<(Redactor.maxRecentFingerprints + 44)).map { "sk-remembered-\($0)" }
        for _ in 0..<2 {
            for secret in secrets { #expect(Redactor.fingerprint(secret) == sha256Fingerprint(secret)) }
        }
        let precomposed = "cl\u{E9}"
        let combining = "cle\u{301}"
        #expect(precomposed == combining)
        #expect(Redactor.fingerprint(precomposed) == sha256Fingerprint(precomposed))
        #expect(Redactor.fingerprint(combining) == sha256Fingerprint(combining))
        #expect(Redactor.fingerprint(precomposed) != Redactor.fingerprint(combining))
    }

    @Test func secretHeadersAreRedactedWhateverTheirCase() {
        let headers = Redactor().headers([
            (name: "Authorization", value: "Bearer sk-secret-1"),
            (name: "X-Api-Key", value: "sk-secret-1"),
            (name: "x-goog-api-key", value: "AIza-secret"),
            (name: "api-key", value: "azure-secret"),
            (name: "Cookie", value: "session=abc"),
            (name: "set-cookie", value: "a=1"),
            (name: "Set-Cookie", value: "b=2"),
            (name: "content-type", value: "application/json"),
        ])
        let expected: JSONObject = [
            "Authorization": .string("Bearer " + Redactor.fingerprint("sk-secret-1")),
            "X-Api-Key": .string(Redactor.fingerprint("sk-secret-1")),
            "x-goog-api-key": .string(Redactor.fingerprint("AIza-secret")),
            "api-key": .string(Redactor.fingerprint("azure-secret")),
            "Cookie": .string(Redactor.fingerprint("session=abc")),
            "set-cookie": .string(Redactor.fingerprint("a=1") + ", " + Redactor.fingerprint("b=2")),
            "content-type": "application/json",
        ]
        #expect(headers.object == expected)
        #expect(headers.object.keys == expected.keys)
    }

    @Test func onlySecretNamesAreRedactedHoweverCloseOthersLook() {
        let headers = Redactor().headers([
            (name: "content-length", value: "12"),  // as long as x-goog-api-key
            (name: "x-api-kez", value: "plain"),
            (name: "X-API-KEY", value: "sk-upper"),
            (name: "x-note", value: "a \"quoted\"\nline\u{1}é"),
            (name: "x-ratelimit-remaining-tokens", value: "7999"),
            (name: "WWW-Authenticate", value: "Bearer realm=\"api\""),
        ])
        #expect(
            headers.object.members.map { [$0.key, $0.value.stringValue ?? ""] } == [
                ["content-length", "12"], ["x-api-kez", "plain"], ["X-API-KEY", Redactor.fingerprint("sk-upper")],
                ["x-note", "a \"quoted\"\nline\u{1}é"], ["x-ratelimit-remaining-tokens", "7999"],
                ["WWW-Authenticate", "Bearer realm=\"api\""],
            ])
        #expect(JSONValue.isSerializedForm(headers.json))
    }

    /// Keys in headers no list names: any name holding a secret word.
    @Test func headersNamedLikeSecretsAreRedacted() {
        let names = [
            "openai-api-key", "X-Auth-Token", "helicone-auth", "api_key", "x-client-secret", "X-PASSWORD",
            "x-upstream-passwd", "x-credential", "x-session-cookie", "idempotency-key", "X-Amz-Signature",
            "x-goog-iap-jwt-assertion",
        ]
        let headers = Redactor().headers(names.map { (name: $0, value: "sk-ant-test-SECRET123") })
        #expect(
            headers.object.members.map { [$0.key, $0.value.stringValue ?? ""] }
                == names.map { [$0, Redactor.fingerprint("sk-ant-test-SECRET123")] })
        let kept = ["anthropic-ratelimit-tokens-limit", "proxy-authenticate", "x-stainless-os", "keep-alive", "x-tok"]
        #expect(kept.filter(Redactor.isSecretName) == [])
        #expect(names.allSatisfy(Redactor.isSecretName))
        #expect(Redactor.defaultSecretHeaders.allSatisfy(Redactor.isSecretName))
        // The scan spells the words out: none of the list may be missing there.
        #expect(Redactor.secretNameWords.filter { !Redactor.isSecretName("x-" + $0.uppercased()) } == [])
    }

    /// The JSON text itself: no headers, members written whole or escaped,
    /// a value too long to be written whole, and a secret header's name
    /// longer than the lengths the redactor tells apart one by one.
    @Test func headersAreWrittenAsCompactJSON() {
        let longName = "x-" + String(repeating: "n", count: 70)
        let longValue = String(repeating: "v", count: 600)
        let redactor = Redactor(extraHeaders: [longName])
        #expect(redactor.headers([]).json == Array("{}".utf8))
        let headers = redactor.headers([
            (name: "a", value: ""), (name: "q\"", value: "\\"), (name: "long", value: longValue),
            (name: longName.uppercased(), value: "secret"),
            (name: "x-" + String(repeating: "n", count: 71), value: "kept"),
        ])
        let expected =
            #"{"a":"","q\"":"\\","long":"\#(longValue)","\#(longName.uppercased())":"\#(Redactor.fingerprint("secret"))","#
            + #""x-\#(String(repeating: "n", count: 71))":"kept"}"#
        #expect(String(decoding: headers.json, as: UTF8.self) == expected)
        #expect(redactor.isSecret(longName.uppercased()))
        #expect(!redactor.isSecret("x-" + String(repeating: "n", count: 71)))
    }

    /// An authorization header's scheme is kept whatever the case of its
    /// name (the name is compared case-blind, not lowercased first): the
    /// line's exact text, as a cassette holds it.
    @Test func authorizationSchemesAreKeptWhateverTheNamesCase() {
        let headers = Redactor().headers([
            (name: "PROXY-Authorization", value: "Basic dXNlcjpwYXNz"),
            (name: "AUTHORIZATION", value: "Bearer sk-one"),
            (name: "X-Api-Key", value: "Bearer sk-one"),
        ])
        let expected =
            #"{"PROXY-Authorization":"Basic \#(Redactor.fingerprint("dXNlcjpwYXNz"))","#
            + #""AUTHORIZATION":"Bearer \#(Redactor.fingerprint("sk-one"))","#
            + #""X-Api-Key":"\#(Redactor.fingerprint("Bearer sk-one"))"}"#
        #expect(String(decoding: headers.json, as: UTF8.self) == expected)
    }

    @Test func isSecretAgreesWithWhatHeadersRedacts() {
        let redactor = Redactor(extraHeaders: ["X-Custom-Token"])
        // The Kelvin sign lowercases to "k" under Unicode rules, but no
        // HTTP stack sends such a name as x-api-key, and `headers` keeps it.
        let names = ["X-API-KEY", "authorization", "x-custom-token", "x-api-kez", "x-api-\u{212A}ey", "content-length"]
        for name in names {
            let redacted = redactor.headers([(name: name, value: "v")])[name] != "v"
            #expect(redactor.isSecret(name) == redacted, "\(name)")
        }
        #expect(names.map(redactor.isSecret) == [true, true, true, false, false, false])
    }

    @Test func extraHeadersAreRedacted() {
        let redactor = Redactor(extraHeaders: ["X-Custom-Token"])
        let headers = redactor.headers([(name: "x-custom-token", value: "t0k3n"), (name: "x-other", value: "plain")])
        #expect(headers["x-custom-token"] == Redactor.fingerprint("t0k3n"))
        #expect(headers["x-other"] == "plain")
    }

    @Test func authorizationWithoutSchemeIsRedactedWhole() {
        let headers = Redactor().headers([(name: "authorization", value: "rawsecret")])
        #expect(headers["authorization"] == Redactor.fingerprint("rawsecret"))
        // Not a scheme before the space: the whole value is the secret.
        let odd = Redactor().headers([(name: "proxy-authorization", value: "tok:en secret")])
        #expect(odd["proxy-authorization"] == Redactor.fingerprint("tok:en secret"))
        let basic = Redactor().headers([(name: "Proxy-Authorization", value: "Basic-2  dXNlcg==")])
        #expect(basic["Proxy-Authorization"] == "Basic-2 " + Redactor.fingerprint("dXNlcg=="))
        // The scheme ends at the space's byte, even when a combining mark
        // makes the space part of a larger Character: the mark is secret.
        let marked = Redactor().headers([(name: "authorization", value: "Bearer \u{301}tok")])
        #expect(marked["authorization"] == "Bearer " + Redactor.fingerprint("\u{301}tok"))
    }

    @Test func keyQueryParametersAreRedacted() {
        let redactor = Redactor()
        let key = "AIzaSyD-secret"
        #expect(
            redactor.url(
                "https://generativelanguage.googleapis.com/v1beta/models/g:streamGenerateContent?alt=sse&key=\(key)")
                == "https://generativelanguage.googleapis.com/v1beta/models/g:streamGenerateContent?alt=sse&key="
                + Redactor.fingerprint(key))
        #expect(redactor.url("http://h/p?key=\(key)#frag") == "http://h/p?key=\(Redactor.fingerprint(key))#frag")
        #expect(redactor.url("http://h/p?KEY=a%2Bb") == "http://h/p?KEY=\(Redactor.fingerprint("a+b"))")
        #expect(redactor.url("http://h/p?alt=sse&key") == "http://h/p?alt=sse&key")
        #expect(redactor.url("http://h/p") == "http://h/p")
    }

    /// Every parameter whose name holds a secret word, as headers are.
    @Test func queryParametersNamedLikeKeysAreRedacted() {
        let secret = "sk-ant-test-SECRET123"
        let names = ["api-key", "x-api-key", "token", "access_token", "apikey", "client_secret", "AUTH"]
        let query = names.map { "\($0)=\(secret)" }.joined(separator: "&")
        let redacted = names.map { "\($0)=\(Redactor.fingerprint(secret))" }.joined(separator: "&")
        #expect(Redactor().url("http://h/v1/messages?alt=sse&\(query)") == "http://h/v1/messages?alt=sse&\(redacted)")
        #expect(Redactor().url("http://h/p?max_tokens=5") == "http://h/p?max_tokens=5")
    }

    /// Azure's shared access signature (`sig=`, beside its expiry and
    /// permissions, which are not secret) went to the route line, the
    /// upstream request's URL and the log in clear; `sig` counts only as a
    /// whole part of a name, where it is not the start of another word.
    @Test func aSignatureNamedSigIsRedactedAsAWholePartOfAName() {
        let sas = "sv=2024-05-04&se=2026-12-31&sp=r&sig=QUERYSECRET%2B7788"
        #expect(
            Redactor().url("https://x.blob.core.windows.net/v1beta?\(sas)")
                == "https://x.blob.core.windows.net/v1beta?sv=2024-05-04&se=2026-12-31&sp=r&sig="
                + Redactor.fingerprint("QUERYSECRET+7788"))
        let secret = ["sig", "SIG", "x-custom-sig", "X-Sig-V2", "sig_v4", "req.sig"]
        #expect(secret.filter { !Redactor.isSecretName($0) } == [])
        let kept = ["signal", "x-design", "assign", "x-sigma", "cosig", "sigh-count", "x-signed-by"]
        #expect(kept.filter(Redactor.isSecretName) == [])
        let headers = Redactor().headers([(name: "X-Custom-Sig", value: "s3cr3t-value"), (name: "x-sigma", value: "1")])
        #expect(headers["X-Custom-Sig"] == Redactor.fingerprint("s3cr3t-value"))
        #expect(headers["x-sigma"] == "1")
    }

    @Test func passwordsInURLsAreRedacted() {
        #expect(
            Redactor().url("https://user:hunter2@example.com/v1?x=1")
                == "https://user:\(Redactor.fingerprint("hunter2"))@example.com/v1?x=1")
        #expect(
            Redactor().url("https://user:\u{301}pw@example.com/v1")
                == "https://user:\(Redactor.fingerprint("\u{301}pw"))@example.com/v1")
    }

    /// An upstream's 307 named a password and a key in `Location`, and the
    /// cassette kept both: URL-valued headers go through `url(_:)`, in
    /// either path of `headers(_:)` (a repeated name takes the other), and
    /// names of the same lengths are kept as they are.
    @Test func urlValuedHeadersHaveTheirSecretsRedacted() {
        let target = "http://user:PASS@127.0.0.2:9/x?key=SECRET"
        let redacted = "http://user:\(Redactor.fingerprint("PASS"))@127.0.0.2:9/x?key=\(Redactor.fingerprint("SECRET"))"
        let headers = Redactor().headers([
            (name: "Location", value: target), (name: "CONTENT-LOCATION", value: "/y?api_key=SECRET"),
            (name: "x-origin", value: target), (name: "content-language", value: target),
        ])
        #expect(
            headers.object.members.map { [$0.key, $0.value.stringValue ?? ""] } == [
                ["Location", redacted], ["CONTENT-LOCATION", "/y?api_key=\(Redactor.fingerprint("SECRET"))"],
                ["x-origin", target], ["content-language", target],
            ])
        let repeated = Redactor().headers([(name: "location", value: target), (name: "Location", value: "/z")])
        #expect(repeated["location"] == redacted + ", /z")
    }

    /// A combining mark after a delimiter makes one Character of the two:
    /// found by Character, the delimiter was missed and the key recorded.
    @Test func aCombiningMarkAfterADelimiterHidesNoKey() {
        let redactor = Redactor()
        let key = "AIzaSyD-secret"
        let hidden = Redactor.fingerprint(key)
        #expect(redactor.url("http://h/p?\u{301}&key=\(key)") == "http://h/p?\u{301}&key=\(hidden)")
        #expect(redactor.url("http://h/p?a=1&\u{301}x=2&key=\(key)") == "http://h/p?a=1&\u{301}x=2&key=\(hidden)")
        #expect(
            redactor.url("http://h/p?key=\u{301}\(key)") == "http://h/p?key=\(Redactor.fingerprint("\u{301}" + key))")
        #expect(redactor.url("http://h/p#\u{301}?key=\(key)") == "http://h/p#\u{301}?key=\(key)", "a fragment's text")
    }
}
