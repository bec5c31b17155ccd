import Cassette
import Foundation
import Replay
import Wire

/// A hand-written cassette: three good exchanges and the four failures
/// `--errors-only` must find (an upstream 429, a refused upstream
/// connection, a stream cut mid-way, a malformed client request).
enum RecordedSession {
    static let file = "session.jsonl"

    static let okStream = "req_ok_stream"
    static let okPlain = "req_ok_plain"
    static let rateLimited = "req_429"
    static let refused = "req_refused"
    static let cutStream = "req_cut"
    static let badRequest = "req_bad_json"
    static let models = "req_models"

    static let failures: Set<String> = [rateLimited, refused, cutStream, badRequest]

    static let text = #"""
        {"kind":"cassette","version":1,"writer":"hand-written","started":"2026-11-21T08:00:00.000Z","pid":1}
        {"kind":"client_request","x":"req_ok_stream","t_us":0,"started":"2026-11-21T08:00:01.000Z","method":"POST","path":"/v1/messages","query":"beta=true","headers":{"host":"127.0.0.1:8082","content-type":"application/json","x-api-key":"[redacted:1a2b3c4d]","anthropic-version":"2023-06-01"},"body":{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Say hi"}]}}
        {"kind":"route","x":"req_ok_stream","t_us":120,"model_id":"claude-sonnet-4-5","upstream":"https://api.deepseek.com/v1","options":{"model_id":"claude-sonnet-4-5","format":"openai","model_name":"deepseek-chat"},"requested_model":"claude-sonnet-4-5"}
        {"kind":"upstream_request","x":"req_ok_stream","t_us":200,"method":"POST","url":"https://api.deepseek.com/v1/chat/completions","headers":{"content-type":"application/json","authorization":"[redacted:9f8e7d6c]"},"body":{"model":"deepseek-chat","max_tokens":1024,"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hi"}]}}
        {"kind":"upstream_response","x":"req_ok_stream","t_us":150000,"status":200,"headers":{"content-type":"text/event-stream","transfer-encoding":"chunked","connection":"keep-alive","x-request-id":"up-1"}}
        {"kind":"client_response","x":"req_ok_stream","t_us":150050,"status":200,"headers":{"content-type":"text/event-stream","request-id":"req_ok_stream"}}
        {"kind":"upstream_chunk","x":"req_ok_stream","t_us":150100,"text":"data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n"}
        {"kind":"client_event","x":"req_ok_stream","t_us":150200,"event":"message_start","data":{"type":"message_start","message":{"id":"msg_c1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}}
        {"kind":"client_event","x":"req_ok_stream","t_us":150210,"event":"content_block_start","data":{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}}
        {"kind":"client_event","x":"req_ok_stream","t_us":150220,"event":"content_block_delta","data":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}}
        {"kind":"upstream_chunk","x":"req_ok_stream","t_us":180000,"text":"data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n"}
        {"kind":"client_event","x":"req_ok_stream","t_us":180100,"event":"content_block_stop","data":{"type":"content_block_stop","index":0}}
        {"kind":"client_event","x":"req_ok_stream","t_us":180110,"event":"message_delta","data":{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":10,"output_tokens":2}}}
        {"kind":"client_event","x":"req_ok_stream","t_us":180120,"event":"message_stop","data":{"type":"message_stop"}}
        {"kind":"end","x":"req_ok_stream","t_us":180500,"outcome":"ok","status":200,"duration_us":180500,"ttfb_us":150050,"usage":{"input_tokens":10,"output_tokens":2},"dropped_events":0}
        {"kind":"client_request","x":"req_ok_plain","t_us":0,"started":"2026-11-21T08:05:00.000Z","method":"POST","path":"/v1/messages","query":null,"headers":{"host":"127.0.0.1:8082","content-type":"application/json","authorization":"Bearer [redacted:5e6f7a8b]"},"body":{"model":"claude-haiku-4-5","max_tokens":50,"messages":[{"role":"user","content":"It's 2+2?"}]}}
        {"kind":"route","x":"req_ok_plain","t_us":90,"model_id":"haiku","upstream":"https://api.anthropic.com","options":{"model_id":"haiku","format":"anthropic","model_name":"claude-haiku-4-5-20251001"},"requested_model":"claude-haiku-4-5"}
        {"kind":"upstream_request","x":"req_ok_plain","t_us":150,"method":"POST","url":"https://api.anthropic.com/v1/messages","headers":{"content-type":"application/json","x-api-key":"[redacted:1a2b3c4d]"},"body":{"model":"claude-haiku-4-5-20251001","max_tokens":50,"messages":[{"role":"user","content":"It's 2+2?"}]}}
        {"kind":"upstream_response","x":"req_ok_plain","t_us":48000,"status":200,"headers":{"content-type":"application/json","content-length":"190"}}
        {"kind":"upstream_chunk","x":"req_ok_plain","t_us":48500,"text":"{\"id\":\"msg_01\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5-20251001\",\"content\":[{\"type\":\"text\",\"text\":\"4\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":20,\"output_tokens\":5,\"cache_read_input_tokens\":7}}"}
        {"kind":"client_response","x":"req_ok_plain","t_us":49000,"status":200,"headers":{"content-type":"application/json","request-id":"req_ok_plain"},"body":{"id":"msg_01","type":"message","role":"assistant","model":"claude-haiku-4-5","content":[{"type":"text","text":"4"}],"stop_reason":"end_turn","usage":{"input_tokens":20,"output_tokens":5,"cache_read_input_tokens":7}}}
        {"kind":"end","x":"req_ok_plain","t_us":50000,"outcome":"ok","status":200,"duration_us":50000,"ttfb_us":49000,"usage":{"input_tokens":20,"output_tokens":5,"cache_read_input_tokens":7},"dropped_events":0}
        {"kind":"client_request","x":"req_429","t_us":0,"started":"2026-11-21T08:10:00.000Z","method":"POST","path":"/v1/messages","query":null,"headers":{"host":"127.0.0.1:8082","content-type":"application/json","x-api-key":"[redacted:1a2b3c4d]"},"body":{"model":"claude-sonnet-4-5","max_tokens":1024,"messages":[{"role":"user","content":"again"}]}}
        {"kind":"route","x":"req_429","t_us":100,"model_id":"claude-sonnet-4-5","upstream":"https://api.deepseek.com/v1","options":{"model_id":"claude-sonnet-4-5","format":"openai","model_name":"deepseek-chat"},"requested_model":"claude-sonnet-4-5"}
        {"kind":"upstream_request","x":"req_429","t_us":180,"method":"POST","url":"https://api.deepseek.com/v1/chat/completions","headers":{"content-type":"application/json","authorization":"[redacted:9f8e7d6c]"},"body":{"model":"deepseek-chat","max_tokens":1024,"messages":[{"role":"user","content":"again"}]}}
        {"kind":"upstream_response","x":"req_429","t_us":29000,"status":429,"headers":{"content-type":"application/json","retry-after":"7"}}
        {"kind":"upstream_chunk","x":"req_429","t_us":29100,"text":"{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_exceeded\"}}"}
        {"kind":"error","x":"req_429","t_us":29200,"stage":"upstream_response","type":"rate_limit_error","message":"deepseek: Rate limit reached","status":429}
        {"kind":"client_response","x":"req_429","t_us":29300,"status":429,"headers":{"content-type":"application/json","retry-after":"7","request-id":"req_429"},"body":{"type":"error","error":{"type":"rate_limit_error","message":"deepseek: Rate limit reached"}}}
        {"kind":"end","x":"req_429","t_us":30000,"outcome":"error","status":429,"duration_us":30000,"ttfb_us":29300,"usage":null,"dropped_events":0}
        {"kind":"client_request","x":"req_refused","t_us":0,"started":"2026-11-21T08:20:00.000Z","method":"POST","path":"/v1/messages","query":null,"headers":{"host":"127.0.0.1:8082","content-type":"application/json","x-api-key":"[redacted:1a2b3c4d]"},"body":{"model":"local-llama","max_tokens":64,"messages":[{"role":"user","content":"ping"}]}}
        {"kind":"route","x":"req_refused","t_us":80,"model_id":"local-llama","upstream":"http://127.0.0.1:9/v1","options":{"model_id":"local-llama","format":"openai","model_name":"llama3"},"requested_model":"local-llama"}
        {"kind":"upstream_request","x":"req_refused","t_us":120,"method":"POST","url":"http://127.0.0.1:9/v1/chat/completions","headers":{"content-type":"application/json"},"body":{"model":"llama3","max_tokens":64,"messages":[{"role":"user","content":"ping"}]}}
        {"kind":"error","x":"req_refused","t_us":1300,"stage":"upstream_connect","type":"api_error","message":"upstream http://127.0.0.1:9/v1 refused the connection","status":502}
        {"kind":"client_response","x":"req_refused","t_us":1400,"status":502,"headers":{"content-type":"application/json","request-id":"req_refused"},"body":{"type":"error","error":{"type":"api_error","message":"upstream http://127.0.0.1:9/v1 refused the connection"}}}
        {"kind":"end","x":"req_refused","t_us":1500,"outcome":"error","status":502,"duration_us":1500,"ttfb_us":1400,"usage":null,"dropped_events":0}
        {"kind":"client_request","x":"req_cut","t_us":0,"started":"2026-11-21T08:30:00.000Z","method":"POST","path":"/v1/messages","query":null,"headers":{"host":"127.0.0.1:8082","content-type":"application/json","x-api-key":"[redacted:1a2b3c4d]"},"body":{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Tell a story"}]}}
        {"kind":"route","x":"req_cut","t_us":100,"model_id":"claude-sonnet-4-5","upstream":"https://api.deepseek.com/v1","options":{"model_id":"claude-sonnet-4-5","format":"openai","model_name":"deepseek-chat"},"requested_model":"claude-sonnet-4-5"}
        {"kind":"upstream_request","x":"req_cut","t_us":150,"method":"POST","url":"https://api.deepseek.com/v1/chat/completions","headers":{"content-type":"application/json","authorization":"[redacted:9f8e7d6c]"},"body":{"model":"deepseek-chat","max_tokens":1024,"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Tell a story"}]}}
        {"kind":"upstream_response","x":"req_cut","t_us":40000,"status":200,"headers":{"content-type":"text/event-stream"}}
        {"kind":"client_response","x":"req_cut","t_us":40050,"status":200,"headers":{"content-type":"text/event-stream","request-id":"req_cut"}}
        {"kind":"upstream_chunk","x":"req_cut","t_us":41000,"text":"data: {\"id\":\"c9\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Once\"}}]}\n\ndata: {\"id\":\"c9\",\"choi"}
        {"kind":"client_event","x":"req_cut","t_us":41100,"event":"message_start","data":{"type":"message_start","message":{"id":"msg_c9","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}}}
        {"kind":"client_event","x":"req_cut","t_us":41110,"event":"content_block_start","data":{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}}
        {"kind":"client_event","x":"req_cut","t_us":41120,"event":"content_block_delta","data":{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Once"}}}
        {"kind":"error","x":"req_cut","t_us":90000,"stage":"upstream_stream","type":"api_error","message":"upstream closed the connection mid-stream","status":502}
        {"kind":"client_event","x":"req_cut","t_us":90100,"event":"error","data":{"type":"error","error":{"type":"api_error","message":"upstream closed the connection mid-stream"}}}
        {"kind":"end","x":"req_cut","t_us":90200,"outcome":"error","status":200,"duration_us":90200,"ttfb_us":40050,"usage":{"input_tokens":10,"output_tokens":1},"dropped_events":0}
        {"kind":"client_request","x":"req_bad_json","t_us":0,"started":"2026-11-21T08:40:00.000Z","method":"POST","path":"/v1/messages","query":null,"headers":{"host":"127.0.0.1:8082","content-type":"application/json","x-api-key":"[redacted:1a2b3c4d]"},"body_text":"{\"model\": \"claude-sonnet-4-5\", \"messages\": ["}
        {"kind":"error","x":"req_bad_json","t_us":50,"stage":"client_request","type":"invalid_request_error","message":"malformed JSON at line 1, column 45","status":400}
        {"kind":"client_response","x":"req_bad_json","t_us":60,"status":400,"headers":{"content-type":"application/json","request-id":"req_bad_json"},"body":{"type":"error","error":{"type":"invalid_request_error","message":"malformed JSON at line 1, column 45"}}}
        {"kind":"end","x":"req_bad_json","t_us":200,"outcome":"error","status":400,"duration_us":200,"ttfb_us":60,"usage":null,"dropped_events":0}
        {"kind":"client_request","x":"req_models","t_us":0,"started":"2026-11-21T08:50:00.000Z","method":"GET","path":"/v1/models","query":null,"headers":{"host":"127.0.0.1:8082","x-api-key":"[redacted:1a2b3c4d]"},"body_text":""}
        {"kind":"client_response","x":"req_models","t_us":250,"status":200,"headers":{"content-type":"application/json","request-id":"req_models"},"body":{"data":[{"type":"model","id":"claude-sonnet-4-5"}],"has_more":false}}
        {"kind":"end","x":"req_models","t_us":300,"outcome":"ok","status":200,"duration_us":300,"ttfb_us":250,"usage":null,"dropped_events":2}
        """#

    /// The session as a plain `.jsonl` cassette on disk, written once.
    static let path: String = {
        let url = FileManager.default.temporaryDirectory.appending(path: "replay-session-\(UUID().uuidString).jsonl")
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let written = FileManager.default.createFile(
            atPath: url.path, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        precondition(written, "cannot write \(url.path)")
        return url.path
    }()

    /// The session read back through the Cassette reader; exchanges keep
    /// ``file`` as their file name so expectations do not depend on the
    /// temporary path.
    static func cassetteSet() throws -> CassetteSet {
        var set = try CassetteLoader.load(paths: [path])
        set.files = set.files.map { _ in file }
        for index in set.exchanges.indices { set.exchanges[index].file = file }
        return set
    }

    static func exchanges() throws -> [Exchange] { try cassetteSet().exchanges }

    struct Missing: Error { var id: String }

    static func exchange(_ id: String) throws -> Exchange {
        guard let exchange = try exchanges().first(where: { $0.id == id }) else { throw Missing(id: id) }
        return exchange
    }
}
