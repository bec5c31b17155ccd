#!/usr/bin/env python3
"""Turns tools/bench.sh's results (JSON lines) into a Markdown table for the README.

Each line: {"scenario", "target": "direct"|"proxy"|"proxy+record", "phase": "load"|"latency", ...wrk fields}.
Throughput comes from the load phase (many connections); latency from the latency phase
(one connection, one request at a time), where the median is the real per-request cost rather
than queueing. With several load rounds (BENCH_ROUNDS) each figure is the median of the rounds,
and the record cost is the median of each round's proxy+record vs proxy pair (the metrics cost
likewise: proxy vs proxy-metrics-off, run with --no-metrics). The proxy's CPU time
per request (user + system, all threads, from /proc) is steadier than throughput on a shared machine:
"recording's CPU" is the median with --record minus the median without, and "writer thread" the
cassette writer's own CPU per request (the part of recording's cost that does not drift with the
machine; the rest is the callers' share plus the noise of two medians).
Rows with phase "instructions" (BENCH_INSTRUCTIONS) carry callgrind's instructions per request for
a proxy target: the proxy's own column, and what recording and metrics add in instructions, which
unlike the timings do not drift with the machine's load.
With BENCH_BASELINE_BIN, the target "baseline" is another proxy binary run beside "proxy" in the same
rounds: its req/s, CPU and instructions per request, the change from it to "proxy" in instructions,
and its added p50, so a change is judged side by side in one run.
"""

import json
import statistics
import sys


def ms(us):
    return "n/a" if us is None else f"{us / 1000:.2f} ms"


def main():
    results_path, meta = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    rows = {}
    order = []
    with open(results_path, encoding="utf-8") as handle:
        for line in handle:
            r = json.loads(line)
            if r["scenario"] not in order:
                order.append(r["scenario"])
            rows.setdefault((r["scenario"], r["target"], r["phase"]), []).append(r)

    def get(scenario, target, phase, field):
        values = [r[field] for r in rows.get((scenario, target, phase), []) if r.get(field) is not None]
        return statistics.median(values) if values else None

    def cost(scenario, without, with_):
        """The median of the rounds' costs of `with_` over `without`: each round ran both back to back."""
        pairs = zip(rows.get((scenario, without, "load"), []), rows.get((scenario, with_, "load"), []))
        costs = [1 - w["rps"] / b["rps"] for b, w in pairs if b.get("rps") and w.get("rps")]
        return statistics.median(costs) if costs else None

    record = any(k[1] == "proxy+record" for k in rows)
    metrics = any(k[1] == "proxy-metrics-off" for k in rows)
    instructions = any(k[2] == "instructions" for k in rows)
    baseline = any(k[1] == "baseline" for k in rows)

    def instructions_cost(scenario, without, with_):
        """What `with_` adds over `without` in instructions per request, as a percentage."""
        base = get(scenario, without, "instructions", "instructions_per_request")
        more = get(scenario, with_, "instructions", "instructions_per_request")
        return "n/a" if not base or more is None else f"{100 * (more - base) / base:+.1f}%"

    def comparison(scenario, without, with_, shown, writer=False):
        """The cells of one cost comparison: `shown`'s req/s, the throughput cost of `with_` over
        `without`, the CPU per request it adds, the writer thread's CPU (recording), and the
        instructions it adds."""
        rps = get(scenario, shown, "load", "rps")
        throughput_cost = cost(scenario, without, with_)
        base_cpu = get(scenario, without, "load", "cpu_us_per_request")
        more_cpu = get(scenario, with_, "load", "cpu_us_per_request")
        cells = [
            f"{rps:,.0f}" if rps else "n/a",
            "n/a" if throughput_cost is None else f"{100 * throughput_cost:.1f}%",
            "n/a" if base_cpu is None or more_cpu is None else f"{more_cpu - base_cpu:+.0f} µs",
        ]
        if writer:
            w_cpu = get(scenario, with_, "load", "writer_cpu_us_per_request")
            cells.append("n/a" if w_cpu is None else f"{w_cpu:.0f} µs")
        if instructions:
            cells.append(instructions_cost(scenario, without, with_))
        return cells

    head = ["scenario", "direct req/s", "proxy req/s", "proxy/direct", "proxy CPU / request"]
    if instructions:
        head += ["instructions / request"]
    if metrics:
        head += ["metrics off req/s", "metrics cost", "metrics' CPU"] + (["metrics' instructions"] if instructions else [])
    if record:
        head += ["proxy+record req/s", "record cost", "recording's CPU", "writer thread"]
        head += ["recording's instructions"] if instructions else []
    head += ["direct p50 / p99", "proxy p50 / p99", "added p50"]
    if baseline:
        head += ["baseline req/s", "baseline CPU / request", "baseline added p50"]
        head += ["baseline instructions / request", "instructions vs baseline"] if instructions else []
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    for s in order:
        d_rps, p_rps = get(s, "direct", "load", "rps"), get(s, "proxy", "load", "rps")
        cells = [f"`{s}`", f"{d_rps:,.0f}" if d_rps else "n/a", f"{p_rps:,.0f}" if p_rps else "n/a"]
        cells.append(f"{100 * p_rps / d_rps:.0f}%" if d_rps and p_rps else "n/a")
        p_cpu = get(s, "proxy", "load", "cpu_us_per_request")
        cells.append("n/a" if p_cpu is None else f"{p_cpu:.0f} µs")
        if instructions:
            count = get(s, "proxy", "instructions", "instructions_per_request")
            cells.append("n/a" if count is None else f"{count / 1e6:.2f} M")
        if metrics:
            cells += comparison(s, "proxy-metrics-off", "proxy", shown="proxy-metrics-off")
        if record:
            cells += comparison(s, "proxy", "proxy+record", shown="proxy+record", writer=True)
        d50, d99 = get(s, "direct", "latency", "p50_us"), get(s, "direct", "latency", "p99_us")
        p50, p99 = get(s, "proxy", "latency", "p50_us"), get(s, "proxy", "latency", "p99_us")
        cells.append(f"{ms(d50)} / {ms(d99)}")
        cells.append(f"{ms(p50)} / {ms(p99)}")
        cells.append(ms(p50 - d50) if p50 is not None and d50 is not None else "n/a")
        if baseline:
            b_rps, b_cpu = get(s, "baseline", "load", "rps"), get(s, "baseline", "load", "cpu_us_per_request")
            b50 = get(s, "baseline", "latency", "p50_us")
            cells.append(f"{b_rps:,.0f}" if b_rps else "n/a")
            cells.append("n/a" if b_cpu is None else f"{b_cpu:.0f} µs")
            cells.append(ms(b50 - d50) if b50 is not None and d50 is not None else "n/a")
            if instructions:
                count = get(s, "baseline", "instructions", "instructions_per_request")
                cells.append("n/a" if count is None else f"{count / 1e6:.3f} M")
                cells.append(instructions_cost(s, "baseline", "proxy"))
        print("| " + " | ".join(cells) + " |")
    if meta:
        print()
        print(
            f"Load: wrk {meta.get('threads')} threads, {meta.get('connections')} connections, "
            f"{meta.get('duration')} s per run"
            + (f", median of {meta['rounds']} interleaved rounds" if meta.get("rounds", 1) > 1 else "")
            + f"; latency: 1 connection, {meta.get('latency_duration')} s. "
            f"Upstream: {meta.get('upstream')}. Machine: {meta.get('cpus')} CPUs, "
            f"load average {meta.get('loadavg')} at start. Proxy: {meta.get('proxy')}."
        )
        if meta.get("cassette_bytes_per_exchange") is not None:
            print(f"Recording: {meta['cassette_bytes_per_exchange']:.0f} bytes on disk per exchange (LZ4).")


if __name__ == "__main__":
    main()
