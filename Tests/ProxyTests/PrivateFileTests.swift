import Foundation
import Testing

@testable import Proxy

/// A secret written to the proxy's own config directory makes that
/// directory 0700, even when `proxy serve` made it earlier with 0755; any
/// other directory is the user's and keeps its mode.
@Suite struct PrivateFileTests {
    private static func scratch() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("private-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private static func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    private static func makeDirectory(_ path: String, mode: Int) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test(arguments: [["XDG_CONFIG_HOME": "config"], ["HOME": "home"]])
    func theProxysOwnDirectoryIsTightened(layout: [String: String]) throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = layout.mapValues { root + "/" + $0 }
        let own = XDGBaseDirectory.switchboardConfig(environment: environment)
        try Self.makeDirectory(own, mode: 0o755)
        try PrivateFile.write(Data("{}".utf8), to: own + "/auth.json", environment: environment)
        #expect(try Self.mode(own) == 0o700)
        #expect(try Self.mode(own + "/auth.json") == 0o600)
        // However the path spells it.
        try Self.makeDirectory(own, mode: 0o750)
        try PrivateFile.write(Data("{}".utf8), to: own + "//./auth.json", environment: environment)
        #expect(try Self.mode(own) == 0o700)
    }

    @Test func anyOtherDirectoryKeepsItsMode() throws {
        let root = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let environment = ["HOME": root]
        try Self.makeDirectory(root, mode: 0o755)
        try PrivateFile.write(Data("{}".utf8), to: root + "/auth.json", environment: environment)
        #expect(try Self.mode(root) == 0o755)
        let named = root + "/secrets/switchboard"
        try Self.makeDirectory(named, mode: 0o755)
        try PrivateFile.write(Data("{}".utf8), to: named + "/auth.json", environment: environment)
        #expect(try Self.mode(named) == 0o755)
        #expect(try Self.mode(named + "/auth.json") == 0o600)
    }
}
