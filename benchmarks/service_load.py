"""Benchmark (not a test): HTTP latency and throughput on loopback.

Starts `policyalign serve` as a subprocess on 127.0.0.1, then for each payload
runs 1 and 8 concurrent connections (``--concurrency``) and prints p50/p90/p99
latency, requests per second and the server's RSS. Payloads, unseen first:
distinct ~450-word documents (every request a text the server has not seen;
a new set for each run), then the same text again and again: the seed
decision, a 3-sentence intake field, a ~2 000-word application. The load comes
from `wrk` (Debian package, `make bench-deps`; light, written in C) when it is
installed, otherwise from a bounded asyncio httpx client, which itself needs a
good share of the cores. Either way the load generator shares the machine.
Usage: python benchmarks/service_load.py [--seconds 10] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from documents import distinct_documents

DISTINCT = "distinct documents"
SHORT = {"distinct": DISTINCT, "seed": "seed decision", "field": "3-sentence field", "long": "2 000-word application"}
FIELD = ("Syftet är att fler små och medelstora företag i Örebro län ska börja exportera. "
         "Vi erbjuder rådgivning och utbildning under två år. Deltagandet följs upp uppdelat på kvinnor och män.")


def payloads() -> dict[str, list[str] | None]:
    """Each payload's texts; None for the distinct documents, made afresh for every run."""
    seed = (ROOT / "examples" / "medfinansiering-tech-kluster-orebro-lan.txt").read_text(encoding="utf-8")
    devset = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "devset").glob("d*.txt"))]
    long_text, index = "", 0
    while len(long_text.split()) < 2000:
        long_text += devset[index % len(devset)] + "\n\n"
        index += 1
    return {DISTINCT: None, "seed decision": [seed], "3-sentence field": [FIELD],
            "2 000-word application": [long_text]}


def describe_rss(pid: int) -> str:
    """RSS of the server and every process under it (uvicorn workers, or the analysis processes and the
    forkserver they are forked from), in MB: the total, and the largest, which the per-worker limit is about."""
    server = psutil.Process(pid)
    sizes = []
    for process in [server, *server.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            sizes.append(process.memory_info().rss / 2**20)
    listed = ", ".join(f"{size:.0f}" for size in sizes)
    return f"{sum(sizes):.0f} MB in all, largest process {max(sizes):.0f} MB (server first: {listed})"


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds (user + system) so far of the server process and of every process under it."""
    server = psutil.Process(pid)

    def used(process: psutil.Process) -> float:
        with contextlib.suppress(psutil.Error):
            times = process.cpu_times()
            return times.user + times.system
        return 0.0

    return used(server), sum(used(child) for child in server.children(recursive=True))


async def run(url: str, texts: list[str], concurrency: int, requests: int, seconds: float) -> tuple[list[float], float]:
    latencies: list[float] = []
    issued = 0
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        async def worker() -> None:
            nonlocal issued
            while issued < requests and time.monotonic() < deadline:
                text = texts[issued % len(texts)]
                issued += 1
                started = time.perf_counter()
                response = await client.post("/v1/analyses", json={"text": text})
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, elapsed


WRK_SCRIPT = """wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local bodies = {}
for line in io.lines(os.getenv("BODY")) do bodies[#bodies + 1] = line end
local next_body = 0
request = function()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, nil, nil, bodies[next_body])
end
"""


def run_wrk(url: str, texts: list[str], concurrency: int, seconds: float) -> tuple[float, float, float, float, int]:
    """(p50, p90, p99 in ms, requests/s, requests) from wrk --latency."""
    import json
    import re
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        body, script = Path(folder) / "body.json", Path(folder) / "post.lua"
        body.write_text("".join(json.dumps({"text": text}) + "\n" for text in texts), encoding="utf-8")
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        output = subprocess.run(["wrk", "-t1", f"-c{concurrency}", f"-d{int(seconds)}s", "--latency", "-s", str(script),
                                 url + "/v1/analyses"], capture_output=True, text=True, check=True,
                                env={**os.environ, "BODY": str(body)}).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    count = int(re.search(r"(\d+) requests in", output).group(1))
    return ms("50%"), ms("90%"), ms("99%"), rate, count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--embedder", default="static-sv")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--payloads", nargs="+", choices=list(SHORT), default=list(SHORT))
    parser.add_argument("--httpx", action="store_true", help="use the Python client even when wrk is installed")
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "POLICYALIGN_EMBEDDER": args.embedder,
        "POLICYALIGN_LOG_LEVEL": "WARNING",
    }
    server = subprocess.Popen([sys.executable, "-m", "analysis.cli", "serve", "--port", str(port), "--workers",
                               str(args.workers)], cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        print(f"server ready: {args.workers} worker(s), embedder {args.embedder}, RSS {describe_rss(server.pid)}")
        use_wrk = shutil.which("wrk") is not None and not args.httpx
        print(f"load generator: {'wrk' if use_wrk else 'httpx (asyncio)'}")
        print(f"{'payload':<24}{'clients':>8}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'req/s':>9}"
              f"{'CPU ms/request: HTTP process':>30}{'analysis':>10}")
        asyncio.run(run(url, [FIELD], 4, 20, 10))  # the first requests of each worker
        chosen = {SHORT[short] for short in args.payloads}
        for run_number, (name, fixed) in enumerate(payloads().items()):
            if name not in chosen:
                continue
            for concurrency in args.concurrency:
                # distinct: more new documents than the run can use; a new set (seed) for every run
                seed = 1000 + run_number * 10 + concurrency
                texts = fixed or distinct_documents(max(400, int(200 * args.seconds)), seed=seed)
                if fixed:
                    asyncio.run(run(url, texts, 4, 20, 10))  # the warm case is warm
                http_before, analysis_before = cpu_seconds(server.pid)
                if use_wrk:
                    p50, p90, p99, rate, count = run_wrk(url, texts, concurrency, args.seconds)
                else:
                    latencies, elapsed = asyncio.run(run(url, texts, concurrency, args.requests, args.seconds))
                    q = statistics.quantiles([1000 * x for x in latencies], n=100)
                    p50, p90, p99, rate, count = q[49], q[89], q[98], len(latencies) / elapsed, len(latencies)
                http_after, analysis_after = cpu_seconds(server.pid)
                http_ms = 1000 * (http_after - http_before) / max(count, 1)
                analysis_ms = 1000 * (analysis_after - analysis_before) / max(count, 1)
                print(f"{name:<24}{concurrency:>8}{p50:>9.1f}{p90:>9.1f}{p99:>9.1f}{rate:>9.1f}{http_ms:>30.1f}"
                      f"{analysis_ms:>10.1f}")
        print(f"server RSS after the run: {describe_rss(server.pid)}")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
