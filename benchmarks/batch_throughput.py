"""Benchmark (not a test): bulk scoring throughput on distinct documents, model loading included.

Documents are new texts (sentences shuffled across the labelled sets, see
documents.py), so caches are as cold as on a real backlog; the warm case (the
same 8 texts repeated) is reported after it for comparison. Measured in one run:
``score_backlog(..., workers=1)`` and ``workers=2`` end to end (process start, model
loading, scoring, journal).
Usage: python benchmarks/batch_throughput.py [--documents 600]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from documents import distinct_documents, warm_documents

from analysis.batch.engine import score_backlog
from analysis.batch.inputs import InputRecord


def records(texts: list[str]) -> list[InputRecord]:
    return [InputRecord(id=f"doc-{i:05d}", source="synthetic", text=text) for i, text in enumerate(texts)]


def end_to_end(texts: list[str], workers: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        summary = score_backlog(records(texts), Path(folder) / "out.jsonl", workers=workers, batch_size=16)
    assert summary.ok == len(texts), summary
    return summary.documents_per_second


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=600)
    args = parser.parse_args()
    distinct = distinct_documents(args.documents, seed=150)
    words = sum(len(t.split()) for t in distinct) / len(distinct)
    print(f"{args.documents} distinct documents, {words:.0f} words on average; wall time incl. model loading")
    for workers in (1, 2):
        print(f"  unseen, --workers {workers}: {end_to_end(distinct, workers):6.1f} documents/s")
    warm = warm_documents(args.documents)
    for workers in (1, 2):
        print(f"  warm (8 texts repeated), --workers {workers}: {end_to_end(warm, workers):6.1f} documents/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: this process {peak:.0f} MB, largest worker {children:.0f} MB")


if __name__ == "__main__":
    main()
