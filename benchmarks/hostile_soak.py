"""Worker memory after many mixed valid and hostile requests against a real server (issue 12: within 20 %).

Starts ``policyalign serve`` (one worker) on a free port, warms it with valid requests, records the worker's
RSS, sends ``--requests`` requests cycling through valid texts and issue 12's hostile uploads, then
records the RSS again, the status counts, the slowest answer and whether a valid request still gets 200.

    python benchmarks/hostile_soak.py --requests 1000
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import make_docx  # noqa: E402
from tests.hostile import probes  # noqa: E402

MB = probes.MB
VALID = {"text": probes.SENTENCE + " Jämställdhet följs upp med könsuppdelad statistik."}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _requests():
    uploads = {
        "bomb.docx": probes.docx_bomb(1024 * MB), "node.docx": probes.docx_huge_text_node(1024 * MB),
        "bomb.pdf": probes.pdf_bomb(1024 * MB), "pages.pdf": probes.pdf_many_pages(5000, 2000),
        "junk.txt": probes.text_then_junk(), "utf16.txt": probes.utf16_with_bom(),
        "ok.docx": make_docx([("Heading 1", "Syfte"), ("Normal", probes.SENTENCE)]),
    }
    kinds = [("json", VALID), ("json", {"text": probes.hyphen_lines(100_000)}),
             ("json", {"fields": {"Syfte": probes.SENTENCE}})]
    kinds += [("file", item) for item in uploads.items()]
    return itertools.cycle(kinds)


def _send(client: httpx.Client, kind: str, payload) -> tuple[int, float]:
    started = time.monotonic()
    if kind == "json":
        response = client.post("/v1/analyses", json=payload)
    else:
        response = client.post("/v1/analyses/file", files={"file": payload})
    return response.status_code, time.monotonic() - started


def _rss_mb(pid: int) -> float:
    return psutil.Process(pid).memory_info().rss / MB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen([sys.executable, "-m", "analysis.cli", "serve", "--port", str(port), "--workers", "1"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            for _ in range(600):
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            for _ in range(50):
                _send(client, "json", VALID)
            start_rss = _rss_mb(server.pid)
            statuses, slowest = collections.Counter(), 0.0
            for kind, payload in itertools.islice(_requests(), args.requests):
                status, seconds = _send(client, kind, payload)
                statuses[status] += 1
                slowest = max(slowest, seconds)
            end_rss = _rss_mb(server.pid)
            status, seconds = _send(client, "json", VALID)
        print(f"requests {args.requests}: statuses {dict(sorted(statuses.items()))}, slowest {slowest:.2f} s")
        print(f"worker RSS {start_rss:.0f} MB → {end_rss:.0f} MB ({100 * (end_rss / start_rss - 1):+.1f} %)")
        print(f"valid request afterwards: {status} in {seconds * 1000:.0f} ms")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
