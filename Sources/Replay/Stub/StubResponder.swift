import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Wire

/// The request context of the stub: it keeps the channel, so a recorded
/// connection failure can be reproduced by closing it.
struct StubRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// Answers every request from the stub's recordings.
struct StubResponder: HTTPResponder {
    let stub: StubUpstream

    /// Thrown inside a body to end it without its terminating chunk: the
    /// server then closes the connection, as the recorded upstream did.
    struct RecordedCut: Error {}

    func respond(to request: Request, context: StubRequestContext) async throws -> Response {
        let body = Array(buffer: try await request.body.collect(upTo: .max))
        let method = request.method.rawValue
        let path = request.uri.path
        let channel = ObjectIdentifier(context.channel)
        let reused = stub.answeredConnections.withLockedValue { !$0.insert(channel).inserted }
        if !reused {
            context.channel.closeFuture.whenComplete { [stub] _ in
                _ = stub.answeredConnections.withLockedValue { $0.remove(channel) }
            }
        }
        let decision = stub.matcher.withLockedValue {
            $0.match(method: method, path: path, body: body, reusedConnection: reused)
        }
        switch decision {
        case .hit(let recording, let copy, let copies):
            let copyNote = copies > 1 ? " copy \(copy)/\(copies)" : ""
            stub.logger.info("HIT \(method) \(path) -> \(Self.served(recording))\(copyNote)")
            return try await serve(recording.reply, context: context)
        case .nearest(let recording, let differences):
            stub.logger.info("NEAR \(method) \(path) -> \(Self.served(recording))\(Self.differingPaths(differences))")
            return try await serve(recording.reply, context: context)
        case .miss(let miss):
            let nearest = miss.nearest.map { " nearest x=\($0.exchangeID) file=\($0.file)" } ?? ""
            stub.logger.info(
                "MISS \(method) \(path) -> \(miss.status)\(nearest)\(Self.differingPaths(miss.differences))")
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            return Response(
                status: .init(code: miss.status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(bytes: miss.body.serialized())))
        }
    }

    /// What was served, for the log line: how the reply ends, and where it
    /// was recorded.
    private static func served(_ recording: StubRecording) -> String {
        let reply = recording.reply
        let outcome =
            reply.status.map {
                "\($0)\(reply.cutAfterChunks ? " \(Self.cutEnd(reply)) after \(reply.chunks.count) chunks" : "")"
            }
            ?? (reply.clientLeft
                ? "no answer before the client left (held)"
                : reply.timesOut ? "no answer (held until the proxy gives up)" : "connection dropped")
        return "\(outcome) x=\(recording.exchangeID) file=\(recording.file)"
    }

    /// How a reply cut after its chunks ends, for the log line.
    private static func cutEnd(_ reply: StubReply) -> String {
        reply.clientLeft ? "held (the client left)" : reply.timesOut ? "silent" : "cut"
    }

    /// The first few paths where a request differs from a recording.
    private static func differingPaths(_ differences: [JSONDifference]) -> String {
        differences.isEmpty ? "" : " differs at " + differences.prefix(3).map(\.pointer).joined(separator: ",")
    }

    /// Sends nothing until the caller closes `channel` (its timeout), or
    /// the stub stops (SIGTERM, or a cancelled task).
    private static func held(_ channel: any Channel) async {
        // The server allows half-closure and reads no more while a reply is owed, so the
        // caller's close would go unseen (its socket left in CLOSE-WAIT) until the stub
        // stopped: with half-closure off and one read asked for, its end of input closes
        // the connection now.
        try? await channel.setOption(ChannelOptions.allowRemoteHalfClosure, value: false).get()
        channel.read()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                try? await channel.closeFuture.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }

    private func serve(_ reply: StubReply, context: StubRequestContext) async throws -> Response {
        if let delay = stub.delay(forMicros: reply.headGapMicros) { try await Task.sleep(for: delay) }
        let channel = context.channel
        guard let status = reply.status, StubReply.sendableStatuses.contains(status) else {
            // The upstream never answered (or with a status HTTP cannot carry): the proxy must see the
            // connection go, or, after its timeout, the proxy must time out again.
            if reply.holdsConnection { await Self.held(channel) } else { try await channel.close() }
            throw RecordedCut()
        }
        var headers = HTTPFields()
        for header in reply.headers {
            guard let name = HTTPField.Name(header.name) else { continue }
            headers.append(HTTPField(name: name, value: header.value))
        }
        let stub = self.stub
        // A one-piece body gets a content-length, as a provider's JSON reply
        // would; a body in several pieces is chunked, which keeps each
        // recorded boundary a chunk of its own on the wire.
        let contentLength =
            reply.chunks.count <= 1 && !reply.cutAfterChunks ? reply.chunks.first?.bytes.count ?? 0 : nil
        let body = ResponseBody(contentLength: contentLength) { writer in
            for chunk in reply.chunks {
                if let delay = stub.delay(forMicros: chunk.gapMicros) { try await Task.sleep(for: delay) }
                try await writer.write(ByteBuffer(bytes: chunk.bytes))
            }
            if reply.cutAfterChunks {
                // Silent until the proxy's read timeout (or its client's
                // leaving) closes the connection.
                if reply.holdsConnection { await Self.held(channel) }
                throw RecordedCut()
            }
            try await writer.finish(nil)
        }
        return Response(status: .init(code: status), headers: headers, body: body)
    }
}
