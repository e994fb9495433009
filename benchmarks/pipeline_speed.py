"""Benchmark (not a test): pipeline speed on the devset texts, and where the time goes.

Reports words per second for the Swedish pipeline (ingest, sections,
sentences, lemmas, compounds) and for the whole analysis, and how much time
matching adds to the Embedder's own encoding of the document's sentences.
Usage: python benchmarks/pipeline_speed.py [--embedder static-sv|e5-small] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from analysis.facts import extract_facts  # noqa: E402
from analysis.pipeline import Analyzer  # noqa: E402
from analysis.settings import Settings  # noqa: E402

DEVSET = Path(__file__).resolve().parent.parent / "tests" / "data" / "devset"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="static-sv")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    analyzer = Analyzer.create(Settings(embedder=args.embedder))
    load = time.perf_counter() - started
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEVSET.glob("d*.txt"))]
    words = sum(len(t.split()) for t in texts)
    for text in texts:  # warm caches (compound splits, lemmas) as a long-running service has them
        analyzer.analyze(analyzer.read_text(text))
    timings: dict[str, list[float]] = {"nlp": [], "embed": [], "match": [], "rest": [], "total": []}
    for _ in range(args.rounds):
        for text in texts:
            t0 = time.perf_counter()
            document = analyzer.prepare(analyzer.read_text(text))
            t1 = time.perf_counter()
            analyzer.embed([document])
            t2 = time.perf_counter()
            for framework in analyzer.frameworks(None):
                analyzer.align(document, framework)
            t3 = time.perf_counter()
            facts = extract_facts(document)
            analyzer.perspectives.analyse(document)
            analyzer.rules.evaluate(document, facts)
            t4 = time.perf_counter()
            analyzer.analyse_document(document)
            t5 = time.perf_counter()
            timings["nlp"].append(t1 - t0)
            timings["embed"].append(t2 - t1)
            timings["match"].append(t3 - t2)
            timings["rest"].append(t4 - t3)
            timings["total"].append((t2 - t0) + (t5 - t4))
    per_round = {k: sum(v) / args.rounds for k, v in timings.items()}
    print(f"embedder {analyzer.embedder.name} ({analyzer.embedder.version}); load {load:.2f} s; "
          f"{len(texts)} texts, {words} words; {args.rounds} rounds (warm)")
    print(f"  Swedish pipeline (ingest, sections, nlp): {words / per_round['nlp']:>10,.0f} words/s")
    print(f"  whole analysis:                           {words / per_round['total']:>10,.0f} words/s"
          f"  ({1000 * per_round['total'] / len(texts):.1f} ms per text, median "
          f"{1000 * statistics.median(timings['total']):.1f} ms)")
    print(f"  embedding the sentences: {1000 * per_round['embed'] / len(texts):7.2f} ms per text")
    print(f"  matching (3 frameworks): {1000 * per_round['match'] / len(texts):7.2f} ms per text "
          f"= {100 * per_round['match'] / per_round['embed']:.0f} % of the embedding time")
    print(f"  perspectives, facts, rules: {1000 * per_round['rest'] / len(texts):7.2f} ms per text")


if __name__ == "__main__":
    main()
