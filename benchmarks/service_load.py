"""Benchmark (not a test): HTTP latency and throughput on loopback.

Starts `policyalign serve` as a subprocess on 127.0.0.1, then for three
payloads (a 3-sentence intake field, the seed decision, a ~2 000-word
application) runs 1, 8 and 32 concurrent clients (bounded count and time)
and prints p50/p95/p99 latency, requests per second and the server's RSS.
Usage: python benchmarks/service_load.py [--requests 200] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
FIELD = ("Syftet är att fler små och medelstora företag i Örebro län ska börja exportera. "
         "Vi erbjuder rådgivning och utbildning under två år. Deltagandet följs upp uppdelat på kvinnor och män.")


def payloads() -> dict[str, str]:
    seed = (ROOT / "examples" / "medfinansiering-tech-kluster-orebro-lan.txt").read_text(encoding="utf-8")
    devset = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "devset").glob("d*.txt"))]
    long_text, index = "", 0
    while len(long_text.split()) < 2000:
        long_text += devset[index % len(devset)] + "\n\n"
        index += 1
    return {"3-sentence field": FIELD, "seed decision": seed, "2 000-word application": long_text}


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def children_rss(pid: int) -> float:
    total = rss_mb(pid)
    for child in Path("/proc").glob("[0-9]*"):
        try:
            if Path(child / "stat").read_text().split()[3] == str(pid):
                total += rss_mb(int(child.name))
        except OSError:
            continue
    return total


async def run(url: str, text: str, concurrency: int, requests: int, seconds: float) -> tuple[list[float], float]:
    latencies: list[float] = []
    issued = 0
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        async def worker() -> None:
            nonlocal issued
            while issued < requests and time.monotonic() < deadline:
                issued += 1
                started = time.perf_counter()
                response = await client.post("/v1/analyses", json={"text": text})
                response.raise_for_status()
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--embedder", default="static-sv")
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "POLICYALIGN_EMBEDDER": args.embedder, "POLICYALIGN_LOG_LEVEL": "WARNING"}
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
        print(f"server ready: {args.workers} worker(s), embedder {args.embedder}, RSS {children_rss(server.pid):.0f} MB")
        print(f"{'payload':<24}{'clients':>8}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}")
        for name, text in payloads().items():
            asyncio.run(run(url, text, 4, 20, 10))  # warm-up
            for concurrency in (1, 8, 32):
                latencies, elapsed = asyncio.run(run(url, text, concurrency, args.requests, args.seconds))
                q = statistics.quantiles([1000 * x for x in latencies], n=100)
                print(f"{name:<24}{concurrency:>8}{len(latencies):>6}{q[49]:>9.1f}{q[94]:>9.1f}{q[98]:>9.1f}"
                      f"{len(latencies) / elapsed:>9.1f}")
        print(f"server RSS after the run: {children_rss(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
