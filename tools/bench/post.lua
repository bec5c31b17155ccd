-- wrk script: POSTs one JSON body (read from the file named by the first script argument) and
-- prints a machine-readable summary line for tools/bench.sh.
--   wrk -t2 -c16 -d10s -s tools/bench/post.lua URL -- BODY.json

function init(args)
    local file = assert(io.open(args[1], "rb"), "cannot open body file " .. tostring(args[1]))
    wrk.body = file:read("*a")
    file:close()
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["anthropic-version"] = "2023-06-01"
    wrk.headers["x-api-key"] = "sk-bench-not-a-real-key"
    wrk.headers["Authorization"] = "Bearer sk-bench-not-a-real-key"
    wrk.headers["x-goog-api-key"] = "sk-bench-not-a-real-key"
end

function done(summary, latency, requests)
    local e = summary.errors
    local seconds = summary.duration / 1e6
    io.write(string.format(
        'BENCH_JSON {"requests":%d,"seconds":%.3f,"rps":%.1f,"bytes":%d,' ..
        '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
        '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d}\n',
        summary.requests, seconds, summary.requests / seconds, summary.bytes,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
        e.connect, e.read, e.write, e.status, e.timeout))
end
