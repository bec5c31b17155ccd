/// What the bench stub (`tools/e2e/fake_upstream.py --scenario bench`) answers, per format:
/// the upstream side of every scenario, so this benchmark converts the bytes tools/bench.sh's
/// proxy converts.
enum UpstreamReplies {
    static let anthropicMessage = #"""
        {"id": "bench_1", "type": "message", "role": "assistant", "model": "bench", "content": [{"type": "text", "text": "Hello from the bench stub."}], "stop_reason": "end_turn", "stop_sequence": null, "usage": {"input_tokens": 12, "output_tokens": 7}}
        """#

    static let anthropicStream = #"""
        event: message_start
        data: {"type":"message_start","message":{"id":"bench_1","type":"message","role":"assistant","model":"bench","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}

        event: ping
        data: {"type":"ping"}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello from the bench stub."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":7}}

        event: message_stop
        data: {"type":"message_stop"}


        """#

    static let openAIMessage = #"""
        {"id": "bench_1", "object": "chat.completion", "created": 1700000000, "model": "bench", "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello from the bench stub."}, "finish_reason": "stop"}], "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}}
        """#

    static let openAIStream = #"""
        data: {"id":"bench_1","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

        data: {"id":"bench_1","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":{"content":"Hello from the bench stub."},"finish_reason":null}]}

        data: {"id":"bench_1","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

        data: {"id":"bench_1","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}

        data: [DONE]


        """#

    static let geminiMessage = #"""
        {"candidates": [{"content": {"role": "model", "parts": [{"text": "Hello from the bench stub."}]}, "index": 0, "finishReason": "STOP"}], "modelVersion": "bench", "responseId": "bench_1", "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 7, "totalTokenCount": 19}}
        """#

    static let geminiStream = #"""
        data: {"candidates":[{"content":{"role":"model","parts":[{"text":"Hello from the bench stub."}]},"index":0,"finishReason":"STOP"}],"modelVersion":"bench","responseId":"bench_1","usageMetadata":{"promptTokenCount":12,"candidatesTokenCount":7,"totalTokenCount":19}}


        """#

    static let responsesMessage = #"""
        {"id": "resp_bench_1", "object": "response", "created_at": 1700000000, "status": "completed", "model": "bench", "output": [{"type": "message", "id": "msg_bench_1", "status": "completed", "role": "assistant", "content": [{"type": "output_text", "text": "Hello from the bench stub.", "annotations": []}]}], "usage": {"input_tokens": 12, "output_tokens": 7, "total_tokens": 19}}
        """#

    static let responsesStream = #"""
        event: response.created
        data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_bench_1","object":"response","created_at":1700000000,"status":"in_progress","model":"bench","output":[],"usage":null}}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"type":"message","id":"msg_bench_1","status":"in_progress","role":"assistant","content":[]}}

        event: response.content_part.added
        data: {"type":"response.content_part.added","sequence_number":2,"item_id":"msg_bench_1","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_bench_1","output_index":0,"content_index":0,"delta":"Hello from the bench stub."}

        event: response.output_text.done
        data: {"type":"response.output_text.done","sequence_number":4,"item_id":"msg_bench_1","output_index":0,"content_index":0,"text":"Hello from the bench stub."}

        event: response.content_part.done
        data: {"type":"response.content_part.done","sequence_number":5,"item_id":"msg_bench_1","output_index":0,"content_index":0,"part":{"type":"output_text","text":"Hello from the bench stub.","annotations":[]}}

        event: response.output_item.done
        data: {"type":"response.output_item.done","sequence_number":6,"output_index":0,"item":{"type":"message","id":"msg_bench_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello from the bench stub.","annotations":[]}]}}

        event: response.completed
        data: {"type":"response.completed","sequence_number":7,"response":{"id":"resp_bench_1","object":"response","created_at":1700000000,"status":"completed","model":"bench","output":[{"type":"message","id":"msg_bench_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello from the bench stub.","annotations":[]}]}],"usage":{"input_tokens":12,"output_tokens":7,"total_tokens":19}}}


        """#
}
