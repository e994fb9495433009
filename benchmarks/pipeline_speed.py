"""Benchmark (not a test): analysis time per document, unseen first, then warm; where the time goes.

A fresh Analyzer (after its own warm-up, as a service worker starts) analyzes
``--documents`` distinct documents once each: the *unseen* case, every word new
to the caches the first time it appears. Then the same documents again: the
*warm* case, which is all a benchmark repeating a few texts ever measures.
CPU time (process time) is reported besides wall time: the machine is shared.
Usage: python benchmarks/pipeline_speed.py [--embedder static-sv|e5-small] [--documents 100]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from documents import distinct_documents

from analysis.pipeline import Analyzer, settle_process
from analysis.settings import Settings


def one_pass(analyzer: Analyzer, texts: list[str]) -> dict[str, list[float]]:
    """Per document: CPU seconds of nlp (ingest, sections, sentences), embedding, matching, the rest, total."""
    timings: dict[str, list[float]] = {"nlp": [], "embed": [], "match": [], "rest": [], "total": []}
    clock = time.process_time
    for text in texts:
        t0 = clock()
        document = analyzer.prepare(analyzer.read_text(text))
        t1 = clock()
        analyzer.embed([document])
        t2 = clock()
        for framework in analyzer.frameworks(None):
            analyzer.align(document, framework)
        t3 = clock()
        facts = analyzer.facts.extract(document)
        analyzer.perspectives.analyze(document)
        analyzer.rules.evaluate(document, facts)
        analyzer.versions(analyzer.corpus.manifest.default_region)
        t4 = clock()
        for name, value in zip(timings, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t4 - t0), strict=True):
            timings[name].append(value)
    return timings


def report(label: str, timings: dict[str, list[float]], words: int) -> None:
    total = sum(timings["total"])
    count = len(timings["total"])
    print(f"{label:<8}{1000 * total / count:8.1f} ms/doc (median {1000 * statistics.median(timings['total']):.1f})"
          f"{words / total:>10,.0f} words/s   nlp {1000 * sum(timings['nlp']) / count:6.2f}  embed "
          f"{1000 * sum(timings['embed']) / count:5.2f}  match {1000 * sum(timings['match']) / count:5.2f}  "
          f"rest {1000 * sum(timings['rest']) / count:5.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="static-sv")
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--words", type=int, default=450)
    args = parser.parse_args()
    texts = distinct_documents(args.documents, args.words)
    words = sum(len(t.split()) for t in texts)
    started = time.perf_counter()
    analyzer = Analyzer.create(Settings(embedder=args.embedder))
    analyzer.warm_up()
    settle_process(analyzer.settings)  # as a service or bulk worker does after its warm-up
    load = time.perf_counter() - started
    print(f"embedder {analyzer.embedder.name}; load + warm-up {load:.2f} s; {len(texts)} distinct documents, "
          f"{words / len(texts):.0f} words each; CPU time per document")
    unseen = one_pass(analyzer, texts)
    warm = one_pass(analyzer, texts)
    report("unseen", unseen, words)
    report("warm", warm, words)
    print(f"unseen / warm: {sum(unseen['total']) / sum(warm['total']):.2f}×")


if __name__ == "__main__":
    main()
