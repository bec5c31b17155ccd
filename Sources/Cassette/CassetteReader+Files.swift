import Foundation
import Wire

extension CassetteReader {
    /// The cassette files named by `paths`: a file is taken as given,
    /// whatever its name; a directory is searched recursively for `.jsonl`
    /// and `.jsonl.lz4` files, skipping hidden ones. The result is
    /// deduplicated and sorted so that a recording's rotated parts follow
    /// it in order (`X.jsonl.lz4`, `X-1...`, `X-2...`, `X-10...`).
    public static func cassetteFiles(in paths: [String]) throws(CassetteReadError) -> [String] {
        var found: Set<String> = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw .missingFile(path: path)
            }
            guard isDirectory.boolValue else {
                found.insert(path)
                continue
            }
            guard let enumerator = FileManager.default.enumerator(atPath: path) else {
                throw .unreadable(path: path, reason: "the directory cannot be listed")
            }
            while let relative = enumerator.nextObject() as? String {
                let components = relative.split(separator: "/")
                guard !components.contains(where: { $0.hasPrefix(".") }), isCassetteName(relative) else { continue }
                let full = (path as NSString).appendingPathComponent(relative)
                var isSubdirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: full, isDirectory: &isSubdirectory),
                    !isSubdirectory.boolValue
                {
                    found.insert(full)
                }
            }
        }
        return found.sorted(by: recordingOrder)
    }

    private static func isCassetteName(_ name: String) -> Bool {
        name.hasSuffix(CassetteFormat.compressedExtension) || name.hasSuffix(CassetteFormat.plainExtension)
    }

    /// Natural order of the names without their cassette extension, so the
    /// first part (`X`) comes before its rotations (`X-1`), and `X-2`
    /// before `X-10`.
    static func recordingOrder(_ lhs: String, _ rhs: String) -> Bool {
        let order = naturalOrder(stem(lhs), stem(rhs))
        return order == 0 ? lhs < rhs : order < 0
    }

    private static func stem(_ path: String) -> Substring {
        for suffix in [CassetteFormat.compressedExtension, CassetteFormat.plainExtension] where path.hasSuffix(suffix) {
            return path.dropLast(suffix.count)
        }
        return path[...]
    }

    /// Compares runs of digits by value and everything else byte by byte.
    private static func naturalOrder(_ lhs: Substring, _ rhs: Substring) -> Int {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var i = 0
        var j = 0
        while i < left.count && j < right.count {
            if left[i].isASCIIDigit && right[j].isASCIIDigit {
                let leftRun = digitRun(left, from: i)
                let rightRun = digitRun(right, from: j)
                let leftDigits = left[leftRun].drop { $0 == UInt8(ascii: "0") }
                let rightDigits = right[rightRun].drop { $0 == UInt8(ascii: "0") }
                if leftDigits.count != rightDigits.count { return leftDigits.count < rightDigits.count ? -1 : 1 }
                if !leftDigits.elementsEqual(rightDigits) {
                    return leftDigits.lexicographicallyPrecedes(rightDigits) ? -1 : 1
                }
                i = leftRun.upperBound
                j = rightRun.upperBound
            } else {
                if left[i] != right[j] { return left[i] < right[j] ? -1 : 1 }
                i += 1
                j += 1
            }
        }
        if i < left.count { return 1 }
        if j < right.count { return -1 }
        return 0
    }

    private static func digitRun(_ bytes: [UInt8], from start: Int) -> Range<Int> {
        var end = start
        while end < bytes.count && bytes[end].isASCIIDigit { end += 1 }
        return start..<end
    }
}
