"""Benchmark (not a test): sentences per second, load time and peak memory of each embedder backend.

Each backend runs in its own subprocess so its peak RSS is its own. Sentences
are the devset's, repeated.
Usage: python benchmarks/embedders.py [--sentences 5000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
os.environ["HF_HUB_OFFLINE"] = "1"
name, count = sys.argv[1], int(sys.argv[2])
texts = []
for path in sorted(Path("tests/data/devset").glob("d*.txt")):
    texts += [line.strip() for line in path.read_text(encoding="utf-8").split(".") if len(line.split()) >= 4]
sentences = (texts * (count // len(texts) + 1))[:count]
started = time.perf_counter()
from analysis.embeddings import get_embedder
embedder = get_embedder(name, "models")
embedder.encode(["uppvärmning"])
load = time.perf_counter() - started
started = time.perf_counter()
for start in range(0, len(sentences), 256):
    embedder.encode(sentences[start:start + 256])
rate = len(sentences) / (time.perf_counter() - started)
print(json.dumps({"backend": name, "load_s": load, "sentences_per_s": rate,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=20000)
    parser.add_argument("--e5-sentences", type=int, default=600)
    args = parser.parse_args()
    results = {}
    for name, count in (("static-sv", args.sentences), ("e5-small", args.e5_sentences)):
        output = subprocess.run([sys.executable, "-c", CHILD, name, str(count)], cwd=ROOT, capture_output=True,
                                text=True, check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        results[name] = json.loads(output.stdout.strip().splitlines()[-1])
    print(f"{'backend':<11}{'sentences/s':>14}{'load s':>9}{'peak RSS MB':>13}")
    for name, r in results.items():
        print(f"{name:<11}{r['sentences_per_s']:>14,.0f}{r['load_s']:>9.2f}{r['peak_rss_mb']:>13.0f}")
    ratio = results["static-sv"]["sentences_per_s"] / results["e5-small"]["sentences_per_s"]
    print(f"static-sv / e5-small speed ratio: {ratio:,.0f}×")


if __name__ == "__main__":
    main()
