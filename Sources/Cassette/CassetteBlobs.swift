import Foundation
import Wire

/// The large parts of request bodies a cassette file already holds.
///
/// Claude Code resends ~50 KB of tools, system prompt and earlier messages on
/// every turn, and the proxy records it twice (the client's request and the
/// one sent upstream). Compressing it all again was most of the cost of
/// recording such a session. So in a `client_request` or `upstream_request`
/// body, each top-level value of at least ``minimumBytes`` (or, for a value
/// that is an array, each such element) goes into a `blob` line the first
/// time the file sees it, and the body holds `{"$ref":"<id>"}` in its place:
///
///     {"kind":"blob","id":"b3","value":{...}}
///
/// A `blob` line comes before the first line that refers to it, in the same
/// file (a rotated file starts with no blobs), and ``CassetteReader`` puts
/// the values back, so every reader sees the bodies as they were sent. A
/// value in those places that itself starts with `{"$ref":` always goes into
/// a blob, so a reference is never mistaken for the client's own JSON.
struct CassetteBlobs {
    static let minimumBytes = 1024
    /// Beyond this many bytes of blobs a file stops adding new ones (and
    /// writes large parts inline again), so memory stays bounded.
    static let maximumStoredBytes = 64 << 20

    /// A blob, with the depth its part was found at (1 for a member's
    /// value, 2 for an element of one).
    private struct Blob {
        var id: String
        var text: [UInt8]
        var depth: Int
    }

    /// Blobs by a hash of their first ``prefixBytes`` bytes (all of them
    /// when shorter), told apart by comparing the bytes: far cheaper than
    /// hashing or compressing them all. By their start, not their length,
    /// so ``storedPartLength(at:depth:)`` finds one where a body's part
    /// starts, before anything knows where it ends.
    private var blobs: [Int: [Blob]] = [:]
    private var nextID = 1
    private var storedBytes = 0
    static let prefixBytes = 64

    /// Forgets every blob: a new file must define its own.
    mutating func reset() {
        blobs.removeAll()
        nextID = 1
        storedBytes = 0
    }

    /// `body`, a JSON object in serialized form, with its large parts
    /// replaced by references; the `blob` lines of parts new to this file
    /// are appended to `blobLines`. Nil when nothing was replaced. Pass
    /// `layout` when it is known already.
    mutating func rewrite(
        body: [UInt8], layout knownLayout: SerializedFormLayout? = nil, blobLines: inout [UInt8]
    ) -> [UInt8]? {
        guard body.count >= Self.minimumBytes else { return nil }
        return body.withUnsafeBufferPointer { buffer -> [UInt8]? in
            guard let layout = knownLayout ?? JSONValue.serializedFormLayout(buffer) else { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(1024)
            var replaced = false
            output.append(UInt8(ascii: "{"))
            for (index, member) in layout.members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[member.key]))
                output.append(UInt8(ascii: ":"))
                if let elements = member.elements {
                    output.append(UInt8(ascii: "["))
                    for (position, element) in elements.enumerated() {
                        if position > 0 { output.append(UInt8(ascii: ",")) }
                        replaced = append(buffer[element], depth: 2, to: &output, blobLines: &blobLines) || replaced
                    }
                    output.append(UInt8(ascii: "]"))
                } else {
                    replaced = append(buffer[member.value], depth: 1, to: &output, blobLines: &blobLines) || replaced
                }
            }
            output.append(UInt8(ascii: "}"))
            return replaced ? output : nil
        }
    }

    /// Appends `part`, or a reference to it; true when it was a reference.
    /// `depth` is 1 for a member's value, 2 for an element of one.
    private mutating func append(
        _ part: Slice<UnsafeBufferPointer<UInt8>>, depth: Int, to output: inout [UInt8], blobLines: inout [UInt8]
    ) -> Bool {
        let text = UnsafeBufferPointer(rebasing: part)
        let looksLikeReference = text.starts(with: Self.referencePrefix)
        guard text.count >= Self.minimumBytes || looksLikeReference,
            let id = id(for: text, depth: depth, blobLines: &blobLines)
        else {
            output.append(contentsOf: text)
            return false
        }
        output.append(contentsOf: Self.referencePrefix)
        JSONValue.writeString(id, to: &output)
        output.append(UInt8(ascii: "}"))
        return true
    }

    /// The length of a blob that `text` (a body from where one of its parts
    /// starts) begins with, found at `depth` or deeper; nil when there is
    /// none. A blob is an object, array or string, which ends where its
    /// text does, so the part is that blob: checked in serialized form when
    /// it was stored, with room for its nesting at that depth (see
    /// ``RenderedFields/appendBody(_:knownPart:)``).
    func storedPartLength(at text: UnsafeBufferPointer<UInt8>, depth: Int) -> Int? {
        guard text.count >= Self.minimumBytes, let candidates = blobs[Self.prefixHash(text)] else { return nil }
        for candidate in candidates
        where candidate.depth >= depth && candidate.text.count <= text.count && Self.isDelimited(candidate.text) {
            let start = UnsafeBufferPointer(rebasing: text.prefix(candidate.text.count))
            if Self.equal(candidate.text, start) { return candidate.text.count }
        }
        return nil
    }

    /// An object, array or string: a value whose text ends where the value
    /// does (a number could go on).
    private static func isDelimited(_ text: [UInt8]) -> Bool {
        guard let first = text.first else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") || first == UInt8(ascii: "\"")
    }

    /// The id of the blob holding `text`, writing its line if it is new;
    /// nil when the file holds too many blob bytes to add it.
    private mutating func id(for text: UnsafeBufferPointer<UInt8>, depth: Int, blobLines: inout [UInt8]) -> String? {
        let key = Self.prefixHash(text)
        if let known = blobs[key]?.first(where: { Self.equal($0.text, text) }) { return known.id }
        guard storedBytes + text.count <= Self.maximumStoredBytes else { return nil }
        let id = "b\(nextID)"
        nextID += 1
        storedBytes += text.count
        blobs[key, default: []].append(Blob(id: id, text: Array(text), depth: depth))
        JSONValue.writeVerbatim(#"{"kind":"blob","id":"#, to: &blobLines)
        JSONValue.writeString(id, to: &blobLines)
        JSONValue.writeVerbatim(#","value":"#, to: &blobLines)
        blobLines.append(contentsOf: text)
        JSONValue.writeVerbatim("}\n", to: &blobLines)
        return id
    }

    /// memcmp: a generic byte-by-byte comparison was most of the writer's time.
    private static func equal(_ stored: [UInt8], _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard stored.count == text.count else { return false }
        guard let base = text.baseAddress else { return true }
        return stored.withUnsafeBytes { memcmp($0.baseAddress!, base, text.count) == 0 }
    }

    private static let referencePrefix = Array(#"{"$ref":"#.utf8)

    /// A hash of the first ``prefixBytes`` bytes, or all when fewer.
    private static func prefixHash(_ text: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: text.prefix(prefixBytes))))
        return hasher.finalize()
    }
}

extension CassetteEvent {
    /// Puts back the values of a request body's blob references (see
    /// ``CassetteBlobs``); a reference to a blob the file lacks stays as is.
    mutating func resolveBlobReferences(_ blobs: CassetteBlobStore) {
        guard knownKind == .clientRequest || knownKind == .upstreamRequest, case .object(let body)? = self["body"]
        else { return }
        func resolved(_ value: JSONValue) -> JSONValue? {
            guard case .object(let object) = value, object.count == 1, object.members[0].key == "$ref",
                let id = object.members[0].value.stringValue
            else { return nil }
            return blobs.value(of: id)
        }
        var changed = false
        let members = body.members.map { member -> JSONObject.Member in
            if let value = resolved(member.value) {
                changed = true
                return JSONObject.Member(key: member.key, value: value)
            }
            guard case .array(let elements) = member.value else { return member }
            var elementsChanged = false
            let newElements = elements.map { element -> JSONValue in
                guard let value = resolved(element) else { return element }
                elementsChanged = true
                return value
            }
            guard elementsChanged else { return member }
            changed = true
            return JSONObject.Member(key: member.key, value: .array(newElements))
        }
        if changed { self["body"] = .object(JSONObject(members)) }
    }
}
