"""Benchmark (not a test): bulk scoring throughput on a synthetic backlog.

Repeats the devset texts to N documents (default 2 000), then measures in one
run: a naive loop calling analyze() one document at a time, the batched path
with 1 and 2 worker processes, and the share of time spent embedding.
Usage: python benchmarks/batch_throughput.py [--documents 2000]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from analysis.batch.engine import score
from analysis.batch.inputs import InputRecord
from analysis.pipeline import Analyzer
from analysis.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--naive", type=int, default=300, help="documents for the naive loop (it is the slow one)")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "devset").glob("d*.txt"))]
    records = [InputRecord(id=f"doc-{i:05d}", source="synthetic", text=texts[i % len(texts)]) for i in range(args.documents)]
    words = sum(len(r.text.split()) for r in records) / len(records)
    print(f"{args.documents} synthetic documents, {words:.0f} words on average")

    analyzer = Analyzer.create(Settings())
    started = time.perf_counter()
    embed_time = 0.0
    for record in records[: args.naive]:
        document = analyzer.prepare(analyzer.read_text(record.text))
        t = time.perf_counter()
        analyzer.embed([document])
        embed_time += time.perf_counter() - t
        analyzer.analyse_document(document)
    naive = args.naive / (time.perf_counter() - started)
    print(f"naive loop, one document at a time: {naive:6.1f} documents/s "
          f"(embedding {100 * embed_time / (time.perf_counter() - started):.1f} % of the time)")
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            summary = score(records, Path(folder) / "out.jsonl", workers=workers, batch_size=32)
        print(f"batched, {workers} worker(s):          {summary.documents_per_second:6.1f} documents/s "
              f"({summary.ok} ok, {summary.errors} errors; {summary.documents_per_second / naive:.1f}× naive)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: this process {peak:.0f} MB, largest worker {children:.0f} MB")


if __name__ == "__main__":
    main()
